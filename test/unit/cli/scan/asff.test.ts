import { AwsSecurityFinding$, Resource$ } from "@aws-sdk/client-securityhub";
import { findingOf, formatScanAsff, partitionOf } from "../../../../cli/scan/formats/asff";
import type { RevisionUse } from "../../../../cli/scan/formats/verdictFacts";
import type { ScannedVerdict } from "../../../../cli/scan/scanRegion";
import type { ScanResult } from "../../../../cli/scan/scanResult";
import { declaredLimits, requiredMembers, schemaProblems } from "../../../support/asffSchema";

const ACCOUNT_ID = "111122223333";
const AT = new Date(Date.UTC(2026, 10, 30, 12, 0, 0));
const LIMITS = declaredLimits();

const problems = (finding: unknown) => schemaProblems(finding, AwsSecurityFinding$, LIMITS);

/** A revision in use as the scan reports it: a task definition, described, host-PID, with no exception. */
function revisionUse(family: string, revision: number, overrides: Partial<RevisionUse> = {}): RevisionUse {
  return {
    arn: `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:task-definition/${family}:${revision}`,
    family,
    revision,
    kind: "task",
    pidMode: "host",
    described: true,
    sharesHostPid: true,
    clusters: [],
    exception: null,
    ...overrides,
  };
}

function verdict(overrides: Partial<ScannedVerdict> = {}): ScannedVerdict {
  return {
    region: "eu-west-1",
    resourceType: "AWS::ECS::TaskDefinition",
    taskDefinition: "agent",
    complianceType: "NON_COMPLIANT",
    annotation:
      'Shares the host PID namespace: agent:3 in prod (service agent). Fix: register a revision without pidMode "host" and redeploy.',
    accountId: ACCOUNT_ID,
    resourceId: "agent",
    resourceArn: null,
    revisions: [
      revisionUse("agent", 3, {
        clusters: [
          {
            cluster: "prod",
            clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:cluster/prod`,
            services: ["agent"],
            daemons: [],
            standaloneTasks: 2,
          },
        ],
      }),
    ],
    exceptions: [],
    ...overrides,
  };
}

describe("the schema the findings are checked against", () => {
  it("is the SDK's: AwsSecurityFinding requires its identity, times, text and resources", () => {
    expect(requiredMembers(AwsSecurityFinding$)).toEqual(
      expect.arrayContaining([
        "SchemaVersion",
        "Id",
        "ProductArn",
        "GeneratorId",
        "AwsAccountId",
        "CreatedAt",
        "UpdatedAt",
        "Title",
        "Description",
        "Resources",
      ]),
    );
    expect(requiredMembers(Resource$)).toEqual(["Type", "Id"]);
    expect(LIMITS.get("AwsSecurityFinding")?.get("Description")).toMatchObject({ maxLength: 1024 });
    expect(LIMITS.get("AwsSecurityFinding")?.get("Title")).toMatchObject({ maxLength: 256 });
    expect(LIMITS.get("AwsSecurityFinding")?.get("Resources")).toMatchObject({ maxItems: 32 });
    expect(LIMITS.get("Compliance")?.get("Status")?.enumValues).toContain("NOT_AVAILABLE");
  });

  it("catches a finding that drops any required member, breaks a limit or names an unknown member", () => {
    const finding = findingOf(verdict(), AT) as unknown as Record<string, unknown>;
    expect(problems(finding)).toEqual([]);
    for (const name of requiredMembers(AwsSecurityFinding$)) {
      const { [name]: _dropped, ...rest } = finding;
      expect(problems(rest)).toContain(`$.${name}: required`);
    }
    expect(problems({ ...finding, Title: "x".repeat(257) })).toContain("$.Title: longer than 256");
    expect(problems({ ...finding, AwsAccountId: "1234" })).toContain("$.AwsAccountId: shorter than 12");
    expect(problems({ ...finding, Compliance: { Status: "PASS" } })).toEqual([
      expect.stringContaining("$.Compliance.Status: PASS is none of"),
    ]);
    expect(problems({ ...finding, Resources: [{ Type: "AwsEcsCluster" }] })).toContain(
      "$.Resources[0].Id: required",
    );
    expect(problems({ ...finding, Colour: "red" })).toContain("$.Colour: not a member of AwsSecurityFinding");
  });
});

describe("an ASFF finding per verdict", () => {
  it("fails a NON_COMPLIANT family, HIGH and NEW, with the revisions, clusters and services as resources", () => {
    const finding = findingOf(verdict(), AT);
    expect(problems(finding)).toEqual([]);
    expect(finding).toMatchObject({
      SchemaVersion: "2018-10-08",
      Id: `ecs-pid-mode/${ACCOUNT_ID}/eu-west-1/AWS::ECS::TaskDefinition/agent`,
      ProductArn: `arn:aws:securityhub:eu-west-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`,
      GeneratorId: "ecs-pid-mode/ECS.3",
      AwsAccountId: ACCOUNT_ID,
      Region: "eu-west-1",
      CreatedAt: "2026-11-30T12:00:00.000Z",
      UpdatedAt: "2026-11-30T12:00:00.000Z",
      Severity: { Label: "HIGH" },
      Title: "ECS.3: ECS task definition agent shares the host's process namespace",
      Compliance: { Status: "FAILED" },
      Workflow: { Status: "NEW" },
      RecordState: "ACTIVE",
    });
    expect(finding.Resources).toEqual([
      {
        Type: "AwsEcsTaskDefinition",
        Id: `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:task-definition/agent:3`,
        Partition: "aws",
        Region: "eu-west-1",
      },
      {
        Type: "AwsEcsCluster",
        Id: `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:cluster/prod`,
        Partition: "aws",
        Region: "eu-west-1",
      },
      { Type: "AwsEcsService", Id: "prod/agent", Partition: "aws", Region: "eu-west-1" },
    ]);
    expect(finding.Description).toContain("agent:3 pidMode host in prod (service agent, 2 standalone tasks)");
    expect(finding.Remediation?.Recommendation?.Url).toContain("ecs-controls.html#ecs-3");
  });

  it.each([
    ["COMPLIANT", "PASSED", "RESOLVED", "INFORMATIONAL"],
    ["NOT_APPLICABLE", "NOT_AVAILABLE", "SUPPRESSED", "HIGH"],
    ["INSUFFICIENT_DATA", "NOT_AVAILABLE", "NEW", "HIGH"],
  ] as const)("maps %s to %s, %s, %s", (complianceType, status, workflow, severity) => {
    const finding = findingOf(verdict({ complianceType }), AT);
    expect(problems(finding)).toEqual([]);
    expect(finding.Compliance?.Status).toBe(status);
    expect(finding.Workflow?.Status).toBe(workflow);
    expect(finding.Severity?.Label).toBe(severity);
  });

  it("records the exception of an exempt verdict in ProductFields", () => {
    const exception = {
      status: "valid" as const,
      kind: "task" as const,
      target: "agent",
      owner: "platform@example.com",
      expires: "2027-06-30",
      reason: "metrics",
      approvedBy: "ciso",
      ticket: "RISK-9",
    };
    const finding = findingOf(verdict({ complianceType: "NOT_APPLICABLE", exceptions: [exception] }), AT);
    expect(problems(finding)).toEqual([]);
    expect(finding.ProductFields).toMatchObject({
      "ecs-pid-mode/ComplianceType": "NOT_APPLICABLE",
      "ecs-pid-mode/Exception1/Status": "valid",
      "ecs-pid-mode/Exception1/Owner": "platform@example.com",
      "ecs-pid-mode/Exception1/Expires": "2027-06-30",
      "ecs-pid-mode/Exception1/ApprovedBy": "ciso",
      "ecs-pid-mode/Exception1/Ticket": "RISK-9",
    });
  });

  it("puts a daemon verdict's cluster first, and its daemon task definitions as Other", () => {
    const clusterArn = `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:cluster/managed`;
    const finding = findingOf(
      verdict({
        resourceType: "AWS::ECS::Cluster",
        taskDefinition: "daemons in cluster managed",
        resourceId: "managed",
        resourceArn: clusterArn,
        revisions: [
          revisionUse("node-agent", 2, {
            arn: `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:daemon-task-definition/node-agent:2`,
            kind: "daemon",
            pidMode: "shared",
            clusters: [
              { cluster: "managed", clusterArn, services: [], daemons: ["node-agent"], standaloneTasks: 0 },
            ],
          }),
        ],
      }),
      AT,
    );
    expect(problems(finding)).toEqual([]);
    expect(finding.Resources?.map((resource) => [resource.Type, resource.Id])).toEqual([
      ["AwsEcsCluster", clusterArn],
      ["Other", `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:daemon-task-definition/node-agent:2`],
    ]);
    expect(finding.Remediation?.Recommendation?.Text).toContain('without pidMode "shared"');
  });

  it("stays within every limit for a family in use everywhere, under the longest names", () => {
    const family = "f".repeat(255);
    const clusters = Array.from({ length: 60 }, (_, index) => ({
      cluster: `cluster-${index}-${"c".repeat(200)}`,
      clusterArn: `arn:aws:ecs:eu-west-1:${ACCOUNT_ID}:cluster/cluster-${index}-${"c".repeat(200)}`,
      services: [`service-${"s".repeat(200)}`],
      daemons: [],
      standaloneTasks: 3,
    }));
    const revisions = Array.from({ length: 40 }, (_, index) => revisionUse(family, index + 1, { clusters }));
    const finding = findingOf(
      verdict({ resourceId: family, taskDefinition: family, annotation: "a".repeat(256), revisions }),
      AT,
    );
    expect(problems(finding)).toEqual([]);
    expect(finding.Description?.length).toBe(1024);
    expect(finding.Resources).toHaveLength(32);
  });

  it("names the partition of a Region in the ProductArn and the resources", () => {
    expect(partitionOf("cn-north-1")).toBe("aws-cn");
    expect(partitionOf("us-gov-west-1")).toBe("aws-us-gov");
    expect(partitionOf("us-iso-east-1")).toBe("aws-us-iso");
    expect(partitionOf("us-isob-east-1")).toBe("aws-us-iso-b");
    expect(partitionOf("eu-west-1")).toBe("aws");
    const finding = findingOf(verdict({ region: "cn-north-1" }), AT);
    expect(finding.ProductArn).toBe(
      `arn:aws-cn:securityhub:cn-north-1:${ACCOUNT_ID}:product/${ACCOUNT_ID}/default`,
    );
  });

  it("writes every verdict of every Region as one JSON array", () => {
    const result: ScanResult = {
      accountId: ACCOUNT_ID,
      fixPlan: false,
      regions: [
        { region: "eu-west-1", verdicts: [verdict()], unreadParts: [] },
        { region: "us-east-1", verdicts: [verdict({ region: "us-east-1" })], unreadParts: [] },
      ],
    };
    const findings = JSON.parse(formatScanAsff([result], AT));
    expect(findings.map((finding: { Region: string }) => finding.Region)).toEqual(["eu-west-1", "us-east-1"]);
    for (const finding of findings) expect(problems(finding)).toEqual([]);
  });
});
