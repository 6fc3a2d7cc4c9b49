// Small readers for untrusted JSON: each returns the value or records a problem naming the field's path.
// (A schema library did the same at nearly half the deployed bundle's size, which Lambda pays at every
// cold start.)
export class FieldProblems {
  readonly problems: string[] = [];

  add(path: string, message: string): void {
    this.problems.push(`${path}: ${message}`);
  }
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A non-empty string (after trimming when `trim`), or undefined with a problem recorded. */
export function requiredString(
  object: JsonObject,
  key: string,
  path: string,
  problems: FieldProblems,
  options: { trim?: boolean; pattern?: RegExp; patternMessage?: string } = {},
): string | undefined {
  const value = object[key];
  const where = path ? `${path}.${key}` : key;
  if (value === undefined) {
    problems.add(where, "is required");
    return undefined;
  }
  if (typeof value !== "string") {
    problems.add(where, "must be a string");
    return undefined;
  }
  if ((options.trim ? value.trim() : value) === "") {
    problems.add(where, "must not be empty");
    return undefined;
  }
  if (options.pattern && !options.pattern.test(value)) {
    problems.add(where, options.patternMessage ?? `must match ${options.pattern}`);
    return undefined;
  }
  return value;
}

/** An ISO 8601 timestamp with a date, a time and a zone (`Z` or an offset). */
export function requiredTimestamp(
  object: JsonObject,
  key: string,
  path: string,
  problems: FieldProblems,
): Date | undefined {
  const text = requiredString(object, key, path, problems, {
    pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/,
    patternMessage: "must be an ISO 8601 timestamp",
  });
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) {
    problems.add(path ? `${path}.${key}` : key, "must be an ISO 8601 timestamp");
    return undefined;
  }
  return date;
}
