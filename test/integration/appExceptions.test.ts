import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeServicesCommand, type ECSClient, ListTaskDefinitionsCommand } from "@aws-sdk/client-ecs";
import { JournalFile } from "../../cli/remediate/journalFile";
import { runRemediate } from "../../cli/remediate/runRemediate";
import { runScan } from "../../cli/scan/runScan";
import { userFiles } from "../../cli/shared/userFiles";
import { systemClock } from "../../lambda/util/clock";
import { capturedOutput } from "../support/capturedOutput";
import { type RemediationMoto, startRemediationMoto } from "../support/moto/remediationMoto";

/**
 * One list: `scan` and `remediate`, run in a CDK app's directory without `--exceptions`, apply the list the app
 * deploys (cdk.json's context.exceptions). Here it exempts prod/api's family, a production service in wave 2:
 * the scan reports it exempt and `remediate --wave 2 --apply --yes` leaves it, and its family, alone.
 */

jest.setTimeout(120_000);

let moto: RemediationMoto;
let ecs: ECSClient;
let appDirectory: string;

beforeAll(async () => {
  moto = await startRemediationMoto();
  ecs = moto.ecs;
  appDirectory = await mkdtemp(join(tmpdir(), "app-exceptions-"));
  const expires = new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10);
  await writeFile(
    join(appDirectory, "cdk.json"),
    JSON.stringify({
      app: "npx tsx infra/app.ts",
      context: {
        maxExceptionDays: 365,
        exceptions: [
          { taskDefinition: "api", owner: "payments@example.com", expires, reason: "Profiler; PAY-7." },
          { taskDefinition: "exporter", owner: "observability@example.com", expires, reason: "Metrics." },
        ],
      },
    }),
  );
});

afterAll(async () => {
  // Unset when moto did not start.
  await moto?.stop();
});

describe("the commands in a CDK app's directory use the app's exceptions list", () => {
  it("scan reports the family the app exempts as exempt and names the list it used", async () => {
    const io = capturedOutput();
    const status = await runScan(["--json"], {
      clientsFor: moto.commandClients(),
      knownProfiles: async () => new Set(),
      envProfile: undefined,
      ...userFiles(appDirectory),
      clock: systemClock,
      stdout: io.stdout,
      stderr: io.stderr,
    });
    const { stdout, stderr } = io.text();
    expect(status).toBe(2);
    expect(stderr).toContain(
      "exceptions: cdk.json (the app's context.exceptions), 2 entries, at most 365 days",
    );
    const verdicts = (
      JSON.parse(stdout) as { verdicts: { taskDefinition: string; complianceType: string }[] }
    ).verdicts;
    expect(verdicts.find((verdict) => verdict.taskDefinition === "api")?.complianceType).toBe(
      "NOT_APPLICABLE",
    );
    expect(verdicts.find((verdict) => verdict.taskDefinition === "web")?.complianceType).toBe(
      "NON_COMPLIANT",
    );
  });

  it("remediate --wave 2 --apply --yes moves nothing and registers nothing for the exempted production service", async () => {
    const io = capturedOutput();
    const status = await runRemediate(["--wave", "2", "--apply", "--yes"], {
      clientsFor: moto.commandClients(),
      knownProfiles: async () => new Set(),
      envProfile: undefined,
      ...userFiles(appDirectory),
      journalAt: (path) => new JournalFile(path),
      confirm: async () => true,
      clock: systemClock,
      stdout: io.stdout,
      stderr: io.stderr,
    });
    const { stdout, stderr } = io.text();
    expect(stderr).toContain("exceptions: cdk.json (the app's context.exceptions), 2 entries");
    expect(status).toBe(0);
    expect(stdout).not.toContain("--service api");
    const api = await ecs.send(new DescribeServicesCommand({ cluster: "prod", services: ["api"] }));
    expect(api.services?.[0]?.taskDefinition).toMatch(/task-definition\/api:1$/);
    const revisions = await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: "api" }));
    expect(revisions.taskDefinitionArns).toHaveLength(1);
  });
});
