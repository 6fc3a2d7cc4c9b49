import { type Clock, createRule, failureOf, parseRuleEvent, ruleSettings } from "../../lambda/index";
import type { SimAccount } from "../../sim/account";
import { simulateAws } from "../../sim/clients";
import type { WrittenEvaluation } from "../../sim/simulatedConfig";
import sampleAccount from "../sample-account.json";
import { CommandFailure } from "../shared/command";
import { countVerdicts, formatVerdictTable } from "../shared/table";

/** The shipped sample: an account, the exceptions its SSM parameter holds, and the events Config sends. */
export interface DemoSample {
  /** The instant the sample is set at: exceptions lapse relative to it, so the output never changes. */
  readonly asOf: string;
  readonly account: SimAccount;
  readonly exceptions: unknown[];
  readonly events: readonly { readonly title: string; readonly event: unknown }[];
}

export const SAMPLE = sampleAccount as unknown as DemoSample;

/** Lambda gives the rule up to 15 minutes; the demo never comes near that. */
const REMAINING_TIME_MS = 900_000;

/** What to do after the demo, on a real account. */
export const NEXT_STEPS = [
  "Next, on your own account (read-only, with your AWS credentials):",
  "  npx ecs-pid-mode scan --region REGION            the same verdicts for what RUNNING tasks use",
  "  npx ecs-pid-mode scan --region REGION --fix-plan how to fix what is NON_COMPLIANT, in waves",
  "  npx ecs-pid-mode remediate --wave 1 --region REGION",
  "                                                   wave 1 of the fix (a dry run until --apply)",
  "  npx ecs-pid-mode exceptions list                 the approved exceptions in cdk.json, with days left",
  "Then deploy the rule (docs/deploy.md).",
].join("\n");

/** The wall clock moved to the sample's date: time passes as it does, from `asOf` on. */
function clockAt(asOf: string, clock: Clock): Clock {
  const offset = Date.parse(asOf) - clock.now();
  if (Number.isNaN(offset))
    throw new CommandFailure(`the sample's asOf is not a date: ${JSON.stringify(asOf)}`);
  return { now: () => clock.now() + offset, sleep: (milliseconds) => clock.sleep(milliseconds) };
}

/**
 * Runs the rule the Lambda runs (same wiring, same modules) on a simulated account behind real SDK
 * clients, and prints what it sends to AWS Config for each event. The rule runs on the sample's date, so
 * the verdicts on its exceptions do not depend on today's date.
 */
export async function runDemo(
  sample: DemoSample,
  clock: Clock,
  write: (text: string) => void,
): Promise<readonly WrittenEvaluation[]> {
  const aws = simulateAws(sample.account, { exceptions: sample.exceptions });
  const sampleClock = clockAt(sample.asOf, clock);
  const rule = createRule(
    ruleSettings(
      { ownAccountId: sample.account.accountId, clock: sampleClock },
      { exceptionsParameterName: "/ecs-pid-mode-rule/exceptions" },
    ),
    aws.clients,
  );
  const { accountId, region, clusters } = sample.account;
  write(
    `Sample account ${accountId} (${region}): ${clusters.length} clusters, ${sample.account.revisions.length} task definition revisions, ${sample.exceptions.length} exceptions, as of ${sample.asOf.slice(0, 10)}.\n`,
  );
  for (const { title, event } of sample.events) {
    const before = aws.config.written.length;
    const failure = failureOf(await rule.handle(parseRuleEvent(event), () => REMAINING_TIME_MS));
    if (failure !== undefined) throw failure;
    const written = aws.config.written.slice(before);
    write(`\n${title}: ${written.length} evaluation(s) sent to AWS Config\n`);
    write(
      `${formatVerdictTable(["Resource type", "Resource id"], written, (evaluation) => [
        evaluation.resourceType,
        evaluation.resourceId,
      ])}\n`,
    );
  }
  const all = aws.config.written;
  write(
    `\nSummary: ${all.length} evaluations sent to AWS Config for ${sample.events.length} events: ${countVerdicts(all.map((evaluation) => evaluation.complianceType))}.\n`,
  );
  write(`\n${NEXT_STEPS}\n`);
  return all;
}
