import { AwsSecurityFinding$ } from "@aws-sdk/client-securityhub";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse as parseCsv } from "csv-parse/sync";
import { SAMPLE } from "../../../../cli/demo/runDemo";
import scanSchema from "../../../../schemas/scan.schema.json";
import csvRowSchema from "../../../../schemas/scan-csv-row.schema.json";
import type { SimAccount } from "../../../../sim/account";
import { ServiceError } from "../../../../sim/inProcessHandler";
import { declaredLimits, schemaProblems } from "../../../support/asffSchema";
import {
  ACCOUNT_ID,
  DAEMON_ACCOUNT,
  EXCEPTIONS_FILE,
  NOW,
  type ScanSetup,
  scanSample as scan,
} from "../../../support/scanHarness";

const arn = (what: string) => `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:${what}`;
interface JsonVerdict {
  readonly resourceId: string;
  readonly [field: string]: unknown;
}

async function jsonVerdicts(argv: string[], setup: ScanSetup = {}): Promise<JsonVerdict[]> {
  const result = await scan(["--output", "json", ...argv], setup);
  return JSON.parse(result.stdout).verdicts;
}

const verdictOf = (verdicts: readonly JsonVerdict[], id: string) =>
  verdicts.find((verdict) => verdict.resourceId === id);

describe("scan --output json: each verdict carries its facts as fields", () => {
  it("names the account, Region and resource, and each revision with its clusters, services and standalone tasks", async () => {
    const verdicts = await jsonVerdicts([]);
    expect(verdictOf(verdicts, "log-shipper")).toEqual({
      region: "us-east-1",
      resourceType: "AWS::ECS::TaskDefinition",
      taskDefinition: "log-shipper",
      complianceType: "NON_COMPLIANT",
      annotation: expect.stringContaining("log-shipper:5 in prod (service log-shipper)"),
      accountId: ACCOUNT_ID,
      resourceId: "log-shipper",
      resourceArn: null,
      revisions: [
        {
          arn: arn("task-definition/log-shipper:5"),
          family: "log-shipper",
          revision: 5,
          kind: "task",
          pidMode: "host",
          described: true,
          sharesHostPid: true,
          clusters: [
            {
              cluster: "prod",
              clusterArn: arn("cluster/prod"),
              services: ["log-shipper"],
              daemons: [],
              standaloneTasks: 0,
            },
            {
              cluster: "staging",
              clusterArn: arn("cluster/staging"),
              services: ["log-shipper"],
              daemons: [],
              standaloneTasks: 0,
            },
          ],
          exception: null,
        },
      ],
      exceptions: [],
    });
  });

  it("counts standalone tasks per cluster, and says when a revision has no pidMode", async () => {
    const account: SimAccount = {
      ...SAMPLE.account,
      clusters: [
        {
          name: "prod",
          tasks: [
            { id: "s1", taskDefinition: "web:3" },
            { id: "s2", taskDefinition: "web:3" },
            { id: "s3", taskDefinition: "web:3", service: "web" },
          ],
        },
      ],
    };
    const [use] = (verdictOf(await jsonVerdicts([], { account }), "web")?.revisions ?? []) as {
      pidMode: unknown;
      sharesHostPid: unknown;
      clusters: unknown[];
    }[];
    expect(use?.pidMode).toBeNull();
    expect(use?.sharesHostPid).toBe(false);
    expect(use?.clusters).toEqual([
      {
        cluster: "prod",
        clusterArn: arn("cluster/prod"),
        services: ["web"],
        daemons: [],
        standaloneTasks: 2,
      },
    ]);
  });

  it("carries the exception that exempts a revision: kind, target, owner, expiry and reason", async () => {
    const verdicts = await jsonVerdicts(["--exceptions", "exceptions.json"], { files: EXCEPTIONS_FILE });
    const exempt = verdictOf(verdicts, "node-exporter");
    const exception = {
      status: "valid",
      kind: "task",
      target: "node-exporter",
      owner: "observability-team@example.com",
      expires: "2027-06-30",
      reason: "Host process metrics need the host PID namespace; replacement tracked in OBS-142.",
      approvedBy: null,
      ticket: null,
    };
    expect(exempt).toMatchObject({ complianceType: "NOT_APPLICABLE", exceptions: [exception] });
    expect(((exempt?.revisions ?? []) as { exception: unknown }[])[0]?.exception).toEqual(exception);
  });

  it("carries an expired exception as expired, with its approval trail", async () => {
    const exceptions = [
      {
        taskDefinition: "debug-tools:1",
        owner: "sre-oncall@example.com",
        expires: "2026-06-30",
        reason: "Incident live debugging.",
        approvedBy: "security-board",
        ticket: "RISK-7",
      },
    ];
    const verdicts = await jsonVerdicts(["--exceptions", "exceptions.json"], {
      files: { "exceptions.json": JSON.stringify(exceptions) },
    });
    expect(verdictOf(verdicts, "debug-tools")).toMatchObject({
      complianceType: "NON_COMPLIANT",
      exceptions: [
        {
          status: "expired",
          target: "debug-tools:1",
          expires: "2026-06-30",
          approvedBy: "security-board",
          ticket: "RISK-7",
        },
      ],
    });
  });

  it("names a cluster's daemons and the cluster's ARN on a daemon verdict", async () => {
    const verdicts = await jsonVerdicts([], { account: DAEMON_ACCOUNT });
    expect(verdictOf(verdicts, "managed")).toMatchObject({
      resourceType: "AWS::ECS::Cluster",
      taskDefinition: "daemons in cluster managed",
      resourceArn: arn("cluster/managed"),
      complianceType: "NON_COMPLIANT",
      revisions: [
        {
          arn: `arn:aws:ecs:us-east-1:${ACCOUNT_ID}:daemon-task-definition/node-agent:2`,
          kind: "daemon",
          pidMode: "shared",
          sharesHostPid: true,
          // The daemon APIs report no task count, so a daemon's placement counts no standalone task.
          clusters: [{ cluster: "managed", services: [], daemons: ["node-agent"], standaloneTasks: 0 }],
        },
      ],
    });
  });

  it("marks a revision ECS could not describe, and never calls it compliant", async () => {
    const verdicts = await jsonVerdicts([], {
      intercept: (action, input) => {
        if (action === "DescribeTaskDefinition" && String(input.taskDefinition).includes("web:4"))
          throw new ServiceError("AccessDeniedException", "not authorized");
      },
    });
    const web = verdictOf(verdicts, "web");
    expect(web?.complianceType).toBe("INSUFFICIENT_DATA");
    expect(web?.revisions).toContainEqual(
      expect.objectContaining({ revision: 4, described: false, pidMode: null, sharesHostPid: null }),
    );
  });
});

/**
 * RFC 4180, strictly: fields separated by commas, records by CRLF; a field is either free of `,`, `"`, CR and
 * LF, or quoted with its quotes doubled. Throws on anything else, so the test fails on a malformed file.
 */
function parseRfc4180(text: string): string[][] {
  const field = /(?:"((?:[^"]|"")*)"|([^",\r\n]*))(,|\r\n)/y;
  const records: string[][] = [];
  let record: string[] = [];
  while (field.lastIndex < text.length) {
    const at = field.lastIndex;
    const match = field.exec(text);
    if (match === null) throw new Error(`not RFC 4180 at ${at}: ${JSON.stringify(text.slice(at, at + 40))}`);
    record.push(match[1] === undefined ? (match[2] as string) : match[1].replaceAll('""', '"'));
    if (match[3] === "\r\n") {
      records.push(record);
      record = [];
    }
  }
  return records;
}

describe("scan --output csv", () => {
  it("writes a header row and one row per verdict, every row as wide as the header", async () => {
    const result = await scan(["--output", "csv"]);
    expect(result.status).toBe(2);
    const [header, ...rows] = parseRfc4180(result.stdout);
    expect(header).toEqual([
      "accountId",
      "region",
      "resourceType",
      "resourceId",
      "resourceArn",
      "complianceType",
      "revisions",
      "hostPidRevisions",
      "undescribedRevisions",
      "clusters",
      "services",
      "daemons",
      "standaloneTasks",
      "exceptionStatus",
      "exceptionKind",
      "exceptionTarget",
      "exceptionOwner",
      "exceptionExpires",
      "exceptionApprovedBy",
      "exceptionTicket",
      "annotation",
    ]);
    expect(rows).toHaveLength(6);
    for (const row of rows) expect(row).toHaveLength(header?.length ?? 0);
    const web = rows.find((row) => row[3] === "web");
    expect(web?.slice(0, 13)).toEqual([
      ACCOUNT_ID,
      "us-east-1",
      "AWS::ECS::TaskDefinition",
      "web",
      "",
      "COMPLIANT",
      "web:3;web:4",
      "",
      "",
      "prod;staging",
      "prod/web;staging/web",
      "",
      "0",
    ]);
    // The annotation holds commas, so it is quoted, and reads back whole.
    expect(web?.[20]).toBe("In use without the host PID namespace: web:3, web:4.");
    expect(result.stdout).toContain(',"In use without the host PID namespace: web:3, web:4."\r\n');
  });

  it("quotes annotations with quotes and puts each exception's fields in its columns", async () => {
    const exceptions = [
      {
        taskDefinition: "node-exporter",
        owner: "observability, platform",
        expires: "2027-06-30",
        reason: "metrics",
        approvedBy: "ciso",
        ticket: "RISK-1",
      },
    ];
    const result = await scan(["--output", "csv", "--exceptions", "exceptions.json"], {
      files: { "exceptions.json": JSON.stringify(exceptions) },
    });
    const [header, ...rows] = parseRfc4180(result.stdout);
    const column = (name: string) => header?.indexOf(name) ?? -1;
    const exempt = rows.find((row) => row[3] === "node-exporter") ?? [];
    expect(exempt[column("complianceType")]).toBe("NOT_APPLICABLE");
    expect(exempt[column("exceptionStatus")]).toBe("valid");
    expect(exempt[column("exceptionOwner")]).toBe("observability, platform");
    expect(exempt[column("exceptionApprovedBy")]).toBe("ciso");
    expect(exempt[column("exceptionTicket")]).toBe("RISK-1");
    const failing = rows.find((row) => row[3] === "log-shipper") ?? [];
    expect(failing[column("annotation")]).toContain('without pidMode "host"');
    expect(result.stdout).toContain('without pidMode ""host"" and redeploy');
  });

  it("keeps what could not be read on stderr and exits 1", async () => {
    const result = await scan(["--output", "csv"], {
      intercept: (action, input) => {
        if (action === "ListTasks" && String(input.cluster).endsWith("/staging"))
          throw new ServiceError("AccessDeniedException", "not authorized");
      },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("warning: not read: us-east-1: cluster staging: AccessDeniedException");
    const rows = parseRfc4180(result.stdout);
    expect(rows.find((row) => row[3] === "web")?.[5]).toBe("INSUFFICIENT_DATA");
  });
});

describe("scan --output asff", () => {
  it("prints one finding per verdict, each valid against the SDK's schema, stamped with the scan's clock", async () => {
    const result = await scan(["--output", "asff", "--exceptions", "exceptions.json"], {
      files: EXCEPTIONS_FILE,
    });
    expect(result.status).toBe(2);
    const findings = JSON.parse(result.stdout);
    expect(findings).toHaveLength(6);
    for (const finding of findings)
      expect(schemaProblems(finding, AwsSecurityFinding$, declaredLimits())).toEqual([]);
    const byResource = (id: string) =>
      findings.find(
        (finding: { ProductFields: Record<string, string> }) =>
          finding.ProductFields["ecs-pid-mode/ResourceId"] === id,
      );
    expect(byResource("log-shipper")).toMatchObject({
      Compliance: { Status: "FAILED" },
      CreatedAt: new Date(NOW).toISOString(),
      Resources: expect.arrayContaining([
        expect.objectContaining({ Type: "AwsEcsTaskDefinition", Id: arn("task-definition/log-shipper:5") }),
        expect.objectContaining({ Type: "AwsEcsCluster", Id: arn("cluster/staging") }),
        expect.objectContaining({ Type: "AwsEcsService", Id: "prod/log-shipper" }),
      ]),
    });
    expect(byResource("node-exporter")).toMatchObject({
      Compliance: { Status: "NOT_AVAILABLE" },
      Workflow: { Status: "SUPPRESSED" },
      ProductFields: { "ecs-pid-mode/Exception1/Owner": "observability-team@example.com" },
    });
    expect(byResource("web")).toMatchObject({ Compliance: { Status: "PASSED" } });
  });

  it("prints an empty array when nothing runs, and still exits 1 when the cluster list was unread", async () => {
    const result = await scan(["--output", "asff"], {
      intercept: (action) => {
        if (action === "ListClusters") throw new ServiceError("AccessDeniedException", "not authorized");
      },
    });
    expect(result.status).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual([]);
    expect(result.stderr).toContain("warning: not read: us-east-1");
  });
});

describe("scan --output json and csv against the schemas the package publishes (schemas/)", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
  addFormats(ajv);
  ajv.addKeyword("x-columns");
  const validJson = ajv.compile(scanSchema);
  const validRow = ajv.compile(csvRowSchema);
  const problems = (errors: typeof validJson.errors) =>
    (errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
  const withExceptions = ["--exceptions", "exceptions.json"];
  const setups: [string, string[], ScanSetup][] = [
    ["the sample account with its exceptions", withExceptions, { files: EXCEPTIONS_FILE }],
    ["an account with a host-PID daemon", [], { account: DAEMON_ACCOUNT }],
    [
      "an account whose cluster list is unread",
      [],
      {
        intercept: (action) => {
          if (action === "ListClusters") throw new ServiceError("AccessDeniedException", "not allowed");
        },
      },
    ],
  ];

  it.each(setups)("validates the JSON of %s", async (_name, argv, setup) => {
    const { stdout } = await scan(["--output", "json", ...argv], setup);
    const document = JSON.parse(stdout);
    expect(validJson(document) ? [] : problems(validJson.errors)).toEqual([]);
  });

  it("validates the JSON of several accounts, each read only in part", async () => {
    const { stdout } = await scan(["--output", "json", "--profile", "default", "--profile", "second"], {
      profiles: ["default", "second"],
      intercept: (action) => {
        if (action === "ListClusters") throw new ServiceError("AccessDeniedException", "not allowed");
      },
    });
    const document = JSON.parse(stdout);
    expect(document.accounts).toHaveLength(2);
    expect(validJson(document) ? [] : problems(validJson.errors)).toEqual([]);
  });

  it.each(setups)(
    "validates every CSV row of %s, under the header the schema lists",
    async (_name, argv, setup) => {
      const { stdout } = await scan(["--output", "csv", ...argv], setup);
      const [header, ...rows] = parseCsv(stdout, { relaxColumnCount: false }) as string[][];
      expect(header).toEqual(csvRowSchema["x-columns"]);
      for (const row of rows) {
        const record = Object.fromEntries((header ?? []).map((column, index) => [column, row[index]]));
        expect(validRow(record) ? [] : problems(validRow.errors)).toEqual([]);
      }
    },
  );

  it("rejects a document that drops a field, adds one or breaks a value, so a change of format must change the schema", async () => {
    const { stdout } = await scan(["--output", "json", ...withExceptions], { files: EXCEPTIONS_FILE });
    const document = JSON.parse(stdout);
    const [first] = document.verdicts;
    const broken = [
      { ...document, verdicts: [{ ...first, exceptions: undefined }] },
      { ...document, verdicts: [{ ...first, extra: 1 }] },
      { ...document, verdicts: [{ ...first, complianceType: "PASSED" }] },
      { ...document, accountId: "12345" },
    ].map((candidate) => JSON.parse(JSON.stringify(candidate)));
    for (const candidate of broken) expect(validJson(candidate)).toBe(false);
    expect(validRow({ ...Object.fromEntries(csvRowSchema.required.map((c) => [c, ""])) })).toBe(false);
  });
});
