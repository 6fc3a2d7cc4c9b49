import type { ScannedVerdict } from "../scanRegion";
import type { ScanResult } from "../scanResult";

type ClusterUse = ScannedVerdict["revisions"][number]["clusters"][number];

/**
 * A cell as RFC 4180 writes it: quoted when it holds a comma, a quote or a line break, quotes doubled. A cell
 * a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return: family names,
 * owners and annotations come from outside the tool) is prefixed with a single quote, as OWASP advises.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** Several values in one cell, `;`-separated (exception columns stay aligned: one entry per exception). */
const list = (values: readonly string[]): string => values.join(";");

/** The services (or daemons) running the verdict's revisions, as `cluster/name`, once each, sorted. */
function members(verdict: ScannedVerdict, of: (use: ClusterUse) => readonly string[]): string {
  const names = verdict.revisions.flatMap((use) =>
    use.clusters.flatMap((cluster) => of(cluster).map((name) => `${cluster.cluster}/${name}`)),
  );
  return list([...new Set(names)].sort());
}

/** The columns, in order; docs/scan.md ("Output formats") documents each. */
export const CSV_COLUMNS: readonly (readonly [string, (verdict: ScannedVerdict) => string])[] = [
  ["accountId", (verdict) => verdict.accountId],
  ["region", (verdict) => verdict.region],
  ["resourceType", (verdict) => verdict.resourceType],
  ["resourceId", (verdict) => verdict.resourceId],
  ["resourceArn", (verdict) => verdict.resourceArn ?? ""],
  ["complianceType", (verdict) => verdict.complianceType],
  ["revisions", (verdict) => list(verdict.revisions.map((use) => `${use.family}:${use.revision}`))],
  [
    "hostPidRevisions",
    (verdict) =>
      list(
        verdict.revisions.filter((use) => use.sharesHostPid).map((use) => `${use.family}:${use.revision}`),
      ),
  ],
  [
    "undescribedRevisions",
    (verdict) =>
      list(verdict.revisions.filter((use) => !use.described).map((use) => `${use.family}:${use.revision}`)),
  ],
  [
    "clusters",
    (verdict) =>
      list([...new Set(verdict.revisions.flatMap((use) => use.clusters.map((c) => c.cluster)))].sort()),
  ],
  ["services", (verdict) => members(verdict, (use) => use.services)],
  ["daemons", (verdict) => members(verdict, (use) => use.daemons)],
  [
    "standaloneTasks",
    (verdict) => {
      const counts = verdict.revisions.flatMap((use) => use.clusters.map((c) => c.standaloneTasks));
      return counts.includes(null) ? "" : String(counts.reduce<number>((sum, n) => sum + (n ?? 0), 0));
    },
  ],
  ["exceptionStatus", (verdict) => list(verdict.exceptions.map((e) => e.status))],
  ["exceptionKind", (verdict) => list(verdict.exceptions.map((e) => e.kind))],
  ["exceptionTarget", (verdict) => list(verdict.exceptions.map((e) => e.target))],
  ["exceptionOwner", (verdict) => list(verdict.exceptions.map((e) => e.owner))],
  ["exceptionExpires", (verdict) => list(verdict.exceptions.map((e) => e.expires))],
  ["exceptionApprovedBy", (verdict) => list(verdict.exceptions.map((e) => e.approvedBy ?? ""))],
  ["exceptionTicket", (verdict) => list(verdict.exceptions.map((e) => e.ticket ?? ""))],
  ["annotation", (verdict) => verdict.annotation],
];

/** One row per verdict after a header row, CRLF line ends (RFC 4180); several accounts share the header. */
export function formatScanCsv(results: readonly ScanResult[]): string {
  const rows = [
    CSV_COLUMNS.map(([name]) => name),
    ...results
      .flatMap((result) => result.regions)
      .flatMap((region) => region.verdicts.map((verdict) => CSV_COLUMNS.map(([, cell]) => cell(verdict)))),
  ];
  return rows.map((row) => `${row.map(csvCell).join(",")}\r\n`).join("");
}
