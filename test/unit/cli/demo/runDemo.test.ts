import { NEXT_STEPS, runDemo, SAMPLE } from "../../../../cli/demo/runDemo";
import { type Clock, systemClock } from "../../../../lambda/util/clock";

async function demoOutput(clock: Clock = systemClock) {
  let text = "";
  const written = await runDemo(SAMPLE, clock, (chunk) => {
    text += chunk;
  });
  return { text, written };
}

function rowOf(text: string, resourceId: string): string | undefined {
  return text
    .split("\n")
    .find((line) => line.startsWith("AWS::ECS::TaskDefinition") && line.split(/\s{2,}/)[1] === resourceId);
}

describe("the demo on the shipped sample account", () => {
  it("prints a NON_COMPLIANT row for the host-PID revision that services run in two clusters", async () => {
    const { text } = await demoOutput();
    expect(rowOf(text, "log-shipper")).toMatch(
      /NON_COMPLIANT\s+Shares the host PID namespace: log-shipper:5 in prod \(service log-shipper\); staging \(service log-shipper\)\./,
    );
  });

  it("catches the deregistered revision that still runs as a standalone task", async () => {
    const { text } = await demoOutput();
    expect(rowOf(text, "legacy-agent")).toMatch(
      /NON_COMPLIANT\s+.*legacy-agent:1 in prod \(standalone tasks\)/,
    );
  });

  it("shows a NOT_APPLICABLE verdict whose annotation names the owner of the valid exception", async () => {
    const { text } = await demoOutput();
    expect(rowOf(text, "node-exporter")).toMatch(
      /NOT_APPLICABLE\s+Exempt: .*by exception of observability-team@example\.com until 2027-06-30/,
    );
  });

  it("names the owner of the expired exception in a NON_COMPLIANT verdict", async () => {
    const { text } = await demoOutput();
    expect(rowOf(text, "debug-tools")).toMatch(
      /NON_COMPLIANT\s+.*owner sre-oncall@example\.com\) expired 2026-06-30/,
    );
  });

  it("shows COMPLIANT for the clean family and ignores the stopped host-PID task of another", async () => {
    const { text } = await demoOutput();
    expect(rowOf(text, "web")).toMatch(/COMPLIANT\s+In use without the host PID namespace: web:3, web:4\./);
    expect(rowOf(text, "report")).toMatch(/COMPLIANT\s+In use without the host PID namespace: report:2\./);
  });

  it("reports the idle host-PID family and the resource that left scope as NOT_APPLICABLE", async () => {
    const { text } = await demoOutput();
    expect(rowOf(text, "metrics-sidecar")).toMatch(
      /NOT_APPLICABLE\s+No RUNNING task uses this task definition\./,
    );
    expect(rowOf(text, "retired-batch")).toMatch(
      /NOT_APPLICABLE\s+The resource left the scope of this rule\./,
    );
  });

  it("prints every evaluation exactly as it was sent to Config, then a summary that counts them", async () => {
    const { text, written } = await demoOutput();
    const rows = text.split("\n").map((line) => line.split(/ {2,}/));
    for (const evaluation of written) {
      expect(rows).toContainEqual([
        evaluation.resourceType,
        evaluation.resourceId,
        evaluation.complianceType,
        evaluation.annotation,
      ]);
    }
    const summary = text.split("\n").find((line) => line.startsWith("Summary:"));
    const count = (type: string) => written.filter((evaluation) => evaluation.complianceType === type).length;
    expect(summary).toBe(
      `Summary: ${written.length} evaluations sent to AWS Config for 3 events: ${count("NON_COMPLIANT")} NON_COMPLIANT, ${count("COMPLIANT")} COMPLIANT, ${count("NOT_APPLICABLE")} NOT_APPLICABLE.`,
    );
    expect(count("NON_COMPLIANT")).toBeGreaterThan(0);
  });

  it("judges the service change notification for both the service and its family", async () => {
    const { written } = await demoOutput();
    expect(written).toContainEqual(
      expect.objectContaining({
        resourceType: "AWS::ECS::Service",
        resourceId: "arn:aws:ecs:us-east-1:111122223333:service/prod/web",
        complianceType: "COMPLIANT",
      }),
    );
  });

  it("ends with what to do next: scan your own account, plan the fix, remediate", async () => {
    const { text } = await demoOutput();
    expect(text.endsWith(`\n${NEXT_STEPS}\n`)).toBe(true);
    const next = text.slice(text.lastIndexOf("Next,"));
    expect(next).toMatch(/npx ecs-pid-mode scan --region REGION /);
    expect(next).toMatch(/npx ecs-pid-mode scan --region REGION --fix-plan/);
    expect(next).toMatch(/npx ecs-pid-mode remediate --wave 1/);
  });

  it("prints the same verdicts whatever today's date is, because it runs on the sample's date", async () => {
    const years = (offset: number): Clock => ({
      now: () => Date.now() + offset * 365 * 86_400_000,
      sleep: (milliseconds) => systemClock.sleep(milliseconds),
    });
    const verdicts = async (clock: Clock) =>
      (await demoOutput(clock)).written.map((evaluation) => [
        evaluation.resourceId,
        evaluation.complianceType,
      ]);
    expect(await verdicts(years(5))).toEqual(await verdicts(years(0)));
    expect((await demoOutput(years(5))).text).toContain(`as of ${SAMPLE.asOf.slice(0, 10)}`);
  });
});
