// Markdown output helpers: the benchmark prints tables that docs/performance.md can hold as they are.

export const count = (value: number): string => Math.round(value).toLocaleString("en-US");

export const seconds = (value: number): string => `${value.toFixed(1)} s`;

export const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "–");

export const megabytes = (value: number): string => `${value.toFixed(0)} MB`;

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

export interface TargetCheck {
  readonly target: string;
  readonly measured: string;
  /** `undefined`: the target does not apply (e.g. a floor under 10 s). */
  readonly met: boolean | undefined;
}

export function targetTable(checks: readonly TargetCheck[]): string {
  return table(
    ["target", "measured", "result"],
    checks.map((check) => [
      check.target,
      check.measured,
      check.met === undefined ? "n/a" : check.met ? "MET" : "**MISSED**",
    ]),
  );
}
