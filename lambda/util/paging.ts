/**
 * Every page of a paged listing, in order, as they arrive: `fetch(undefined)` asks for the first page, then
 * `fetch(token)` for the next one for as long as `nextOf(page)` names one. A missing or empty token ends the
 * listing (AWS's paginators treat "" as the end too).
 *
 * A page is fetched only when the consumer asks for it, after it has handled the one before: the calls keep
 * the consumer's pacing and checks between pages, and a consumer that stops early (`break`, `return`, a
 * throw) fetches nothing more. A failed fetch is thrown to the consumer.
 */
export async function* everyPage<P>(
  fetch: (token: string | undefined) => Promise<P>,
  nextOf: (page: P) => string | undefined,
): AsyncGenerator<P, void, undefined> {
  let token: string | undefined;
  do {
    const page = await fetch(token);
    yield page;
    token = nextOf(page);
  } while (token);
}
