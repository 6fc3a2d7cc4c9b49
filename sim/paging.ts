/** AWS's largest page for the list calls the simulators answer (ECS's and Config's alike). */
export const PAGE = 100;

/**
 * One page of `items` as AWS list calls return them: `token` is the offset a previous page handed out,
 * `limit` the caller's page size (at most 100). `nextToken` is set while items are left.
 */
export function page<T>(
  items: readonly T[],
  token: unknown,
  limit: unknown,
): { items: T[]; nextToken?: string } {
  const start = Number(token ?? 0);
  const end = start + Math.min(Number(limit ?? PAGE) || PAGE, PAGE);
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: String(end) } : {}) };
}
