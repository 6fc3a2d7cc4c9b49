/** Plain-text columns: every column but the last padded to its widest cell, so annotations can run long. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
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
  return [line(headers), line(rule), ...rows.map(line)].join("\n");
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
