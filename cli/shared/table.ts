/**
 * Plain-text columns: every column but the last padded to its widest cell. With `maxWidth` (a terminal's), the
 * last column wraps at word boundaries under itself, so no line is wider than the terminal when the other
 * columns leave it room (at least 20 characters).
 */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  maxWidth?: number,
): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((width, column) =>
    "-".repeat(column === widths.length - 1 ? (headers[column] ?? "").length : width),
  );
  const indent = widths.slice(0, -1).reduce((sum, width) => sum + width + 2, 0);
  const room = maxWidth === undefined ? undefined : maxWidth - indent;
  const wrapped = (cells: readonly string[]) => {
    const last = cells[cells.length - 1] ?? "";
    if (room === undefined || room < 20 || last.length <= room) return line(cells);
    const [first, ...rest] = wrapWords(last, room);
    return [
      line([...cells.slice(0, -1), first ?? ""]),
      ...rest.map((part) => `${" ".repeat(indent)}${part}`),
    ].join("\n");
  };
  return [line(headers), line(rule), ...rows.map(wrapped)].join("\n");
}

/** Verdicts as a table: two columns naming what was judged, then each verdict and its annotation. */
export function formatVerdictTable<
  T extends { readonly complianceType: string; readonly annotation: string },
>(
  names: readonly [string, string],
  verdicts: readonly T[],
  nameOf: (verdict: T) => readonly [string, string],
  maxWidth?: number,
): string {
  return formatTable(
    [...names, "Verdict", "Annotation"],
    verdicts.map((verdict) => [...nameOf(verdict), verdict.complianceType, verdict.annotation]),
    maxWidth,
  );
}

/** Splits text into lines of at most `width` characters at spaces (a longer word is cut). */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(" ")) {
    let rest = word;
    while (rest.length > width) {
      if (current !== "") {
        lines.push(current);
        current = "";
      }
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    if (current === "") current = rest;
    else if (current.length + 1 + rest.length <= width) current = `${current} ${rest}`;
    else {
      lines.push(current);
      current = rest;
    }
  }
  if (current !== "") lines.push(current);
  return lines;
}

/** `4 NON_COMPLIANT, 2 COMPLIANT`: counts of each verdict, in a fixed order. */
export function countVerdicts(verdicts: readonly string[]): string {
  const order = ["NON_COMPLIANT", "INSUFFICIENT_DATA", "COMPLIANT", "NOT_APPLICABLE"];
  const counts = new Map<string, number>();
  for (const verdict of verdicts) counts.set(verdict, (counts.get(verdict) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([verdict, count]) => `${count} ${verdict}`)
    .join(", ");
}
