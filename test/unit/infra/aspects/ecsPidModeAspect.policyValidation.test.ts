import { CfnGuardValidator } from "@cdklabs/cdk-validator-cfnguard";
import { App, AspectPriority, Aspects, Stack } from "aws-cdk-lib";
import { CfnDaemonTaskDefinition, ContainerImage, Ec2TaskDefinition, PidMode } from "aws-cdk-lib/aws-ecs";
import {
  ECS_DAEMON_PID_MODE_GUARD_RULE_NAME,
  ECS_PID_MODE_GUARD_RULE_FILE,
  ECS_PID_MODE_GUARD_RULE_NAME,
  EcsPidModeAspect,
} from "../../../../infra";
import type { ExceptionEntry } from "../../../../lambda/core/approvedExceptions";
import { NODE_AGENT_APPROVAL } from "../../../support/approvedExceptionEntries";

// The app uses `policyValidationBeta1` on purpose, as docs/prevent.md shows it (the newer
// `Validations.of(app).addPlugins` is untested here): jsii's deprecation notice for it is expected, not news.
process.env.JSII_DEPRECATED = "quiet";

const NOW = new Date("2026-11-30T12:00:00Z");
const NODE_AGENT_EXCEPTION = { taskDefinition: "node-agent", ...NODE_AGENT_APPROVAL };

/**
 * A team's app as docs/prevent.md shows it: our Guard rule as a synth-time policy (Control Tower's bundled rules
 * off) and the Aspect. `inmemory` is how an app runs outside the CDK CLI: a failed policy throws from synth.
 */
/** The same team's approval for its daemon: a separate entry, since daemon task definitions are a namespace of their own. */
const NODE_AGENT_DAEMON_EXCEPTION = { daemonTaskDefinition: "node-agent", ...NODE_AGENT_APPROVAL };

function hostPidApp(exceptions: ExceptionEntry[], daemon = false): App {
  const app = new App({
    context: { "@aws-cdk/core:appMode": "inmemory" },
    policyValidationBeta1: [
      new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: [ECS_PID_MODE_GUARD_RULE_FILE] }),
    ],
  });
  const stack = new Stack(app, "Agents");
  const taskDefinition = new Ec2TaskDefinition(stack, "NodeAgent", {
    family: "node-agent",
    pidMode: PidMode.HOST,
  });
  taskDefinition.addContainer("exporter", {
    image: ContainerImage.fromRegistry("quay.io/prometheus/node-exporter:v1.8.2"),
    memoryLimitMiB: 128,
  });
  if (daemon) {
    // The same agent as an ECS Managed Daemon on Managed Instances, of the same family.
    new CfnDaemonTaskDefinition(stack, "NodeAgentDaemon", {
      family: "node-agent",
      pidMode: "shared",
      cpu: "256",
      memory: "512",
      containerDefinitions: [
        { name: "exporter", image: "quay.io/prometheus/node-exporter:v1.8.2", memory: 128 },
      ],
    });
  }
  Aspects.of(app).add(new EcsPidModeAspect({ exceptions, now: NOW }), { priority: AspectPriority.READONLY });
  return app;
}

describe("synth-time policy validation with CfnGuardValidator and the ecs-pid-mode rule", () => {
  it("passes an app whose host-PID task definition an approved, unexpired exception covers", () => {
    const assembly = hostPidApp([NODE_AGENT_EXCEPTION]).synth();
    const messages = assembly.getStackByName("Agents").messages;
    expect(messages.filter((message) => message.level === "error")).toEqual([]);
  });

  it("fails the same app without the exception, naming the rule and the task definition", () => {
    const synth = () => hostPidApp([]).synth();
    expect(synth).toThrow(
      new RegExp(`Agents/NodeAgent/Resource[\\s\\S]*cdk-validator-cfnguard::${ECS_PID_MODE_GUARD_RULE_NAME}`),
    );
  });

  it("passes an app whose shared-PID daemon task definition a daemon exception of the same family covers", () => {
    const assembly = hostPidApp([NODE_AGENT_EXCEPTION, NODE_AGENT_DAEMON_EXCEPTION], true).synth();
    const messages = assembly.getStackByName("Agents").messages;
    expect(messages.filter((message) => message.level === "error")).toEqual([]);
  });

  it("fails that app without the exception, naming the daemon rule and the daemon task definition", () => {
    const synth = () => hostPidApp([], true).synth();
    expect(synth).toThrow(
      new RegExp(
        `Agents/NodeAgentDaemon[\\s\\S]*cdk-validator-cfnguard::${ECS_DAEMON_PID_MODE_GUARD_RULE_NAME}`,
      ),
    );
  });
});
