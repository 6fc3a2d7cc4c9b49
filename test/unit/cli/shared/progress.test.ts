import { ProgressLine } from "../../../../cli/shared/progress";

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (text: string) => writes.push(text) }, writes };
}

describe("the progress line", () => {
  it("rewrites one line in place on a terminal and ends it with a newline", () => {
    const { stream, writes } = recorder(true);
    const line = new ProgressLine(stream, { now: () => 0, sleep: async () => undefined });
    line.update("1/3 clusters read");
    line.update("3/3 clusters read");
    line.finish();
    expect(writes).toEqual(["\r1/3 clusters read\u001b[K", "\r3/3 clusters read\u001b[K", "\n"]);
  });

  it("writes at most one line per interval to a log, then the final counts", () => {
    const { stream, writes } = recorder(false);
    let now = 0;
    const line = new ProgressLine(stream, { now: () => now, sleep: async () => undefined }, 5_000);
    for (let read = 1; read <= 100; read++) {
      now = read * 100;
      line.update(`${read}/100 clusters read`);
    }
    line.finish();
    expect(writes).toEqual(["1/100 clusters read\n", "51/100 clusters read\n", "100/100 clusters read\n"]);
  });

  it("does not repeat the final counts when they were just written", () => {
    const { stream, writes } = recorder(false);
    const line = new ProgressLine(stream, { now: () => 0, sleep: async () => undefined });
    line.update("2/2 clusters read");
    line.finish();
    expect(writes).toEqual(["2/2 clusters read\n"]);
  });
});
