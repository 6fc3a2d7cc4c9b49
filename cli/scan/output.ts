import { CLUSTER_TYPE } from "../../lambda/core/index";
import { formatRegionPlan, planDocument } from "../shared/fixPlan";
import { countVerdicts, formatVerdictTable } from "../shared/table";
import type { OutputFormat } from "./arguments";
import { formatScanAsff } from "./formats/asff";
import { formatScanCsv } from "./formats/csv";
import { isComplete, type ScanResult } from "./scanResult";

function inUseSummary(verdicts: readonly { resourceType: string }[]): string {
  const clusters = verdicts.filter((verdict) => verdict.resourceType === CLUSTER_TYPE).length;
  const families = `${verdicts.length - clusters} task definition families in use`;
  return clusters === 0 ? families : `${families} and ${clusters} clusters running daemons`;
}

export function formatScanTable(result: ScanResult, maxWidth?: number): string {
  const verdicts = result.regions.flatMap((region) => region.verdicts);
  const unreadAnything = result.regions.some((region) => region.unreadParts.length > 0);
  const lines = [
    verdicts.length === 0
      ? // An unread cluster list could hide every task: that is never "nothing runs".
        unreadAnything
        ? "Nothing could be judged: the parts of the account below could not be read."
        : "No RUNNING task was found."
      : formatVerdictTable(
          ["Region", "Task definition"],
          verdicts,
          (verdict) => [verdict.region, verdict.taskDefinition],
          maxWidth,
        ),
  ];
  const unread = result.regions.flatMap((region) =>
    region.unreadParts.map((part) => `  ${region.region}: ${part}`),
  );
  if (unread.length > 0)
    lines.push("", "Not read (verdicts they could change are INSUFFICIENT_DATA):", ...unread);
  const regionNames = result.regions.map((region) => region.region).join(", ");
  const counts =
    verdicts.length === 0
      ? "nothing in use"
      : countVerdicts(verdicts.map((verdict) => verdict.complianceType));
  lines.push(
    "",
    `Account ${result.accountId}, ${regionNames}: ${inUseSummary(verdicts)}: ${counts}.${isComplete(result) ? "" : " Part of the account could not be read."}`,
  );
  for (const region of result.regions) {
    if (region.plan === undefined) continue;
    const text = formatRegionPlan(
      region.plan,
      { region: region.region, profile: result.profile },
      result.outDirectory === undefined ? {} : { outDirectory: result.outDirectory },
    );
    lines.push("", text.trimEnd());
  }
  return `${lines.join("\n")}\n`;
}

export function formatScanJson(result: ScanResult): string {
  return `${JSON.stringify(
    {
      accountId: result.accountId,
      complete: isComplete(result),
      verdicts: result.regions.flatMap((region) => region.verdicts),
      unreadParts: result.regions.flatMap((region) =>
        region.unreadParts.map((part) => ({ region: region.region, part })),
      ),
      ...(result.fixPlan
        ? {
            fixPlan: result.regions.flatMap((region) => (region.plan ? [planDocument(region.plan)] : [])),
          }
        : {}),
    },
    null,
    2,
  )}\n`;
}

/** What `--output json|csv|asff` prints; `at` (the scan's clock) stamps the findings. */
export function formatScanAs(format: Exclude<OutputFormat, "table">, result: ScanResult, at: Date): string {
  if (format === "csv") return formatScanCsv([result]);
  if (format === "asff") return formatScanAsff([result], at);
  return formatScanJson(result);
}

/** CSV and ASFF have no place for what could not be read: it goes to stderr, as warnings. */
export function unreadWarnings(result: ScanResult): string {
  return result.regions
    .flatMap((region) => region.unreadParts.map((part) => `warning: not read: ${region.region}: ${part}\n`))
    .join("");
}
