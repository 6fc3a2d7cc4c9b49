import { csvCell } from "../../../../cli/scan/formats/csv";

describe("a CSV cell", () => {
  it.each([
    ["web", "web"],
    ["", ""],
    ["a, b", '"a, b"'],
    ['say "host"', '"say ""host"""'],
    ["two\nlines", '"two\nlines"'],
    ["cr\rhere", '"cr\rhere"'],
  ])("writes %j as %j (RFC 4180)", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it.each([
    ["=HYPERLINK(1)", "'=HYPERLINK(1)"],
    ["+1", "'+1"],
    ["-cmd", "'-cmd"],
    ["@SUM(A1)", "'@SUM(A1)"],
    ["\tx", "'\tx"],
    ['=1,"2"', `"'=1,""2"""`],
  ])("keeps a spreadsheet from running %j as a formula", (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});
