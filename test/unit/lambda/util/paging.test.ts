import { everyPage } from "../../../../lambda/util/paging";

interface FakePage {
  readonly items: string[];
  readonly next?: string;
}

/** A listing that answers `pages` in order and records the token of every request. */
function listing(pages: readonly FakePage[]) {
  const tokens: (string | undefined)[] = [];
  const fetch = async (token: string | undefined): Promise<FakePage> => {
    tokens.push(token);
    const page = pages[tokens.length - 1];
    if (page === undefined) throw new Error(`asked for page ${tokens.length}, which does not exist`);
    return page;
  };
  return { tokens, fetch };
}

async function itemsOf(pages: AsyncIterable<FakePage>): Promise<string[]> {
  const items: string[] = [];
  for await (const page of pages) items.push(...page.items);
  return items;
}

describe("paging through a listing", () => {
  it("asks for the first page without a token, then passes each page's token to the next request", async () => {
    const { tokens, fetch } = listing([
      { items: ["a", "b"], next: "t1" },
      { items: ["c"], next: "t2" },
      { items: ["d"] },
    ]);
    expect(await itemsOf(everyPage(fetch, (page) => page.next))).toEqual(["a", "b", "c", "d"]);
    expect(tokens).toEqual([undefined, "t1", "t2"]);
  });

  it("makes one request when the first page names no next one", async () => {
    const { tokens, fetch } = listing([{ items: ["a"] }]);
    expect(await itemsOf(everyPage(fetch, (page) => page.next))).toEqual(["a"]);
    expect(tokens).toEqual([undefined]);
  });

  it("yields an empty first page rather than nothing", async () => {
    const { fetch } = listing([{ items: [] }]);
    const pages: FakePage[] = [];
    for await (const page of everyPage(fetch, (page) => page.next)) pages.push(page);
    expect(pages).toEqual([{ items: [] }]);
  });

  it("treats an empty-string token as the end of the listing", async () => {
    const { tokens, fetch } = listing([{ items: ["a"], next: "" }, { items: ["never read"] }]);
    expect(await itemsOf(everyPage(fetch, (page) => page.next))).toEqual(["a"]);
    expect(tokens).toEqual([undefined]);
  });

  it("fetches a page only after the consumer has handled the one before it", async () => {
    const events: string[] = [];
    const { fetch } = listing([{ items: ["a"], next: "t1" }, { items: ["b"] }]);
    const logged = async (token: string | undefined) => {
      events.push(`fetch ${token ?? "first"}`);
      return fetch(token);
    };
    for await (const page of everyPage(logged, (page) => page.next)) events.push(`handle ${page.items}`);
    expect(events).toEqual(["fetch first", "handle a", "fetch t1", "handle b"]);
  });

  it("throws a failed request to the consumer, after the pages that came before it", async () => {
    const handled: string[] = [];
    const failing = async (token: string | undefined): Promise<FakePage> => {
      if (token === "t1") throw new Error("throttled");
      return { items: ["a"], next: "t1" };
    };
    await expect(
      (async () => {
        for await (const page of everyPage(failing, (page) => page.next)) handled.push(...page.items);
      })(),
    ).rejects.toThrow("throttled");
    expect(handled).toEqual(["a"]);
  });

  it("fetches nothing more once the consumer stops early", async () => {
    const { tokens, fetch } = listing([
      { items: ["a"], next: "t1" },
      { items: ["b"], next: "t2" },
      { items: ["c"] },
    ]);
    for await (const page of everyPage(fetch, (page) => page.next)) {
      if (page.items.includes("b")) break;
    }
    expect(tokens).toEqual([undefined, "t1"]);
  });
});
