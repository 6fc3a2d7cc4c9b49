import type { AwsSecurityFinding, Partition, Resource } from "@aws-sdk/client-securityhub";
import { CLUSTER_TYPE } from "../../../lambda/core/index";
import type { ScannedVerdict } from "../scanRegion";
import type { ScanResult } from "../scanResult";

/**
 * AWS Security Finding Format (ASFF), what Security Hub's BatchImportFindings takes: the control this rule
 * implements is Security Hub's ECS.3, so the findings land beside the ones the security team already triages.
 * Only types come from @aws-sdk/client-securityhub (a devDependency): nothing here calls Security Hub.
 */

export const ASFF_SCHEMA_VERSION = "2018-10-08";
export const ASFF_GENERATOR_ID = "ecs-pid-mode/ECS.3";
export const ASFF_TYPES = ["Software and Configuration Checks/AWS Security Best Practices"];
/** Security Hub's limits on AwsSecurityFinding (a unit test reads them from the SDK's model). */
export const ASFF_LIMITS = { title: 256, description: 1024, recommendation: 512, resources: 32 } as const;
const REMEDIATION_URL = "https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-3";

/** The partition a Region belongs to, for the ProductArn and each resource (`aws`, `aws-cn`, `aws-us-gov`…). */
export function partitionOf(region: string): Partition {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-isob-")) return "aws-us-iso-b";
  if (region.startsWith("us-iso-")) return "aws-us-iso";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** Cut to `max` characters, ending with an ellipsis when cut. */
function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

type Status = {
  compliance: "PASSED" | "FAILED" | "NOT_AVAILABLE";
  workflow: "NEW" | "RESOLVED" | "SUPPRESSED";
};

/**
 * COMPLIANT passes (RESOLVED); NON_COMPLIANT fails (NEW); NOT_APPLICABLE is, for anything in use, an
 * exception's exemption: NOT_AVAILABLE (Security Hub's status for a rule's NOT_APPLICABLE) and SUPPRESSED (an
 * accepted risk, with its owner and expiry), kept ACTIVE so the team sees it; INSUFFICIENT_DATA is
 * NOT_AVAILABLE and NEW: never a pass when part of the account was unread.
 */
function statusOf(verdict: ScannedVerdict): Status {
  switch (verdict.complianceType) {
    case "COMPLIANT":
      return { compliance: "PASSED", workflow: "RESOLVED" };
    case "NON_COMPLIANT":
      return { compliance: "FAILED", workflow: "NEW" };
    case "NOT_APPLICABLE":
      return { compliance: "NOT_AVAILABLE", workflow: "SUPPRESSED" };
    default:
      return { compliance: "NOT_AVAILABLE", workflow: "NEW" };
  }
}

function subjectText(verdict: ScannedVerdict): string {
  return verdict.resourceType === CLUSTER_TYPE
    ? `ECS cluster ${verdict.resourceId} (its daemon task definitions)`
    : `ECS task definition ${verdict.resourceId}`;
}

function titleOf(verdict: ScannedVerdict): string {
  const subject = subjectText(verdict);
  switch (verdict.complianceType) {
    case "COMPLIANT":
      return cut(`ECS.3: ${subject} does not share the host's process namespace`, ASFF_LIMITS.title);
    case "NON_COMPLIANT":
      return cut(`ECS.3: ${subject} shares the host's process namespace`, ASFF_LIMITS.title);
    case "NOT_APPLICABLE":
      return cut(
        `ECS.3: ${subject} shares the host's process namespace under an exception`,
        ASFF_LIMITS.title,
      );
    default:
      return cut(`ECS.3: ${subject} could not be judged: part of the account was unread`, ASFF_LIMITS.title);
  }
}

function descriptionOf(verdict: ScannedVerdict): string {
  const uses = verdict.revisions.map((use) => {
    const where = use.clusters
      .map((c) => {
        const owners = [
          ...c.services.map((service) => `service ${service}`),
          ...c.daemons.map((daemon) => `daemon ${daemon}`),
          ...(c.standaloneTasks ? [`${c.standaloneTasks} standalone tasks`] : []),
        ];
        return `${c.cluster} (${owners.join(", ")})`;
      })
      .join("; ");
    return `${use.family}:${use.revision} pidMode ${use.pidMode ?? (use.described ? "unset" : "unknown")} in ${where}`;
  });
  return cut(`${verdict.annotation} In use: ${uses.join(". ")}.`, ASFF_LIMITS.description);
}

function resourcesOf(verdict: ScannedVerdict, region: string): Resource[] {
  const partition = partitionOf(region);
  const base = { Partition: partition, Region: region } as const;
  const revisions = [...verdict.revisions].sort(
    (a, b) => Number(b.sharesHostPid === true) - Number(a.sharesHostPid === true),
  );
  const clusters = new Map<string, string | null>();
  const services = new Set<string>();
  for (const use of verdict.revisions)
    for (const c of use.clusters) {
      clusters.set(c.cluster, c.clusterArn);
      for (const service of c.services) services.add(`${c.cluster}/${service}`);
    }
  const subject: Resource[] =
    verdict.resourceType === CLUSTER_TYPE
      ? [{ Type: "AwsEcsCluster", Id: verdict.resourceArn ?? verdict.resourceId, ...base }]
      : [];
  const all: Resource[] = [
    ...subject,
    // A daemon task definition has no type of its own in ASFF.
    ...revisions.map((use) => ({
      Type: use.kind === "daemon" ? "Other" : "AwsEcsTaskDefinition",
      Id: use.arn,
      ...base,
    })),
    ...[...clusters]
      .filter(([name]) => verdict.resourceType !== CLUSTER_TYPE || name !== verdict.resourceId)
      .map(([name, arn]) => ({ Type: "AwsEcsCluster", Id: arn ?? name, ...base })),
    // The scan reads no service ARN (ECS has had two formats), so a service is named cluster/service.
    ...[...services].sort().map((name) => ({ Type: "AwsEcsService", Id: name, ...base })),
  ];
  return all.slice(0, ASFF_LIMITS.resources);
}

function productFieldsOf(verdict: ScannedVerdict): Record<string, string> {
  const fields: Record<string, string> = {
    "ecs-pid-mode/ResourceType": verdict.resourceType,
    "ecs-pid-mode/ResourceId": verdict.resourceId,
    "ecs-pid-mode/ComplianceType": verdict.complianceType,
  };
  verdict.exceptions.forEach((exception, index) => {
    const key = `ecs-pid-mode/Exception${index + 1}`;
    fields[`${key}/Status`] = exception.status;
    fields[`${key}/Target`] = cut(`${exception.kind === "daemon" ? "daemon " : ""}${exception.target}`, 2048);
    fields[`${key}/Owner`] = cut(exception.owner, 2048);
    fields[`${key}/Expires`] = exception.expires;
    if (exception.approvedBy !== null) fields[`${key}/ApprovedBy`] = cut(exception.approvedBy, 2048);
    if (exception.ticket !== null) fields[`${key}/Ticket`] = cut(exception.ticket, 2048);
  });
  return fields;
}

/** One finding per verdict, NOT_APPLICABLE (an exemption) included; its Id is stable, so an import updates it. */
export function findingOf(verdict: ScannedVerdict, at: Date): AwsSecurityFinding {
  const { region, accountId } = verdict;
  const status = statusOf(verdict);
  const timestamp = at.toISOString();
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: `ecs-pid-mode/${accountId}/${region}/${verdict.resourceType}/${verdict.resourceId}`,
    ProductArn: `arn:${partitionOf(region)}:securityhub:${region}:${accountId}:product/${accountId}/default`,
    GeneratorId: ASFF_GENERATOR_ID,
    AwsAccountId: accountId,
    Region: region,
    Types: ASFF_TYPES,
    CreatedAt: timestamp,
    UpdatedAt: timestamp,
    Severity: { Label: status.compliance === "PASSED" ? "INFORMATIONAL" : "HIGH" },
    Title: titleOf(verdict),
    Description: descriptionOf(verdict),
    Remediation: {
      Recommendation: {
        Text: cut(
          verdict.resourceType === CLUSTER_TYPE
            ? 'Register a daemon task definition revision without pidMode "shared" and update the daemon, or record an owned, expiring exception.'
            : 'Register a revision without pidMode "host" and redeploy what runs it (ecs-pid-mode scan --fix-plan plans it), or record an owned, expiring exception.',
          ASFF_LIMITS.recommendation,
        ),
        Url: REMEDIATION_URL,
      },
    },
    ProductFields: productFieldsOf(verdict),
    Resources: resourcesOf(verdict, region),
    Compliance: { Status: status.compliance },
    Workflow: { Status: status.workflow },
    RecordState: "ACTIVE",
  } satisfies AwsSecurityFinding;
}

/** The findings as a JSON array: `aws securityhub batch-import-findings --findings file://…` takes 100 a call. */
export function formatScanAsff(results: readonly ScanResult[], at: Date): string {
  const findings = results
    .flatMap((result) => result.regions)
    .flatMap((region) => region.verdicts.map((verdict) => findingOf(verdict, at)));
  return `${JSON.stringify(findings, null, 2)}\n`;
}
