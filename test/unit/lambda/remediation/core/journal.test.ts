import { parseJournal } from "../../../../../lambda/remediation/core/journal";

describe("parsing a journal", () => {
  it.each([
    [[], "must be a JSON object"],
    [{ version: 2 }, "version must be 1"],
    [{ version: 1, moved: { a: { from: "x", to: "y", state: "done", at: "t" } } }, "moved.a must be"],
  ])("refuses %j", (document, message) => {
    expect(() => parseJournal(document)).toThrow(message);
  });
});
