import { App, AspectPriority, Aspects, CfnParameter, CfnResource, Stack } from "aws-cdk-lib";
import {
  CfnDaemonTaskDefinition,
  CfnTaskDefinition,
  ContainerImage,
  Ec2TaskDefinition,
  PidMode,
} from "aws-cdk-lib/aws-ecs";
import type { Construct } from "constructs";
import {
  ECS_DAEMON_PID_MODE_GUARD_RULE_NAME,
  ECS_PID_MODE_GUARD_RULE_NAME,
  EcsPidModeAspect,
} from "../../../../infra";

const NOW = new Date("2026-11-30T12:00:00Z");
const ACCOUNT = "111111111111";

const EXCEPTIONS = [
  {
    taskDefinition: "node-agent",
    owner: "platform-observability",
    expires: "2027-03-31",
    reason: "node exporter",
  },
  { taskDefinition: "debug-shell", owner: "sre", expires: "2026-10-31", reason: "incident 4711 debugging" },
  // Daemon task definitions are a namespace of their own: each needs an entry that names it as one.
  {
    daemonTaskDefinition: "node-agent",
    owner: "platform-observability",
    expires: "2027-03-31",
    reason: "node exporter",
  },
  {
    daemonTaskDefinition: "debug-shell",
    owner: "sre",
    expires: "2026-10-31",
    reason: "incident 4711 debugging",
  },
  {
    taskDefinition: "shared-agent",
    owner: "platform-observability",
    expires: "2027-01-15",
    reason: "reads host processes",
    accountIds: [ACCOUNT],
  },
];

function hostPidTaskDefinition(scope: Construct, id: string, family: string): Ec2TaskDefinition {
  const taskDefinition = new Ec2TaskDefinition(scope, id, { family, pidMode: PidMode.HOST });
  taskDefinition.addContainer("agent", {
    image: ContainerImage.fromRegistry("public.ecr.aws/docker/library/busybox:1.36"),
    memoryLimitMiB: 128,
  });
  return taskDefinition;
}

function daemonTaskDefinition(
  scope: Construct,
  id: string,
  family: string,
  pidMode?: string,
): CfnDaemonTaskDefinition {
  return new CfnDaemonTaskDefinition(scope, id, {
    family,
    pidMode,
    cpu: "256",
    memory: "512",
    containerDefinitions: [
      { name: "agent", image: "public.ecr.aws/docker/library/busybox:1.36", essential: true, memory: 128 },
    ],
  });
}

/**
 * One app, one synthesis, every case: each stack gets its own Aspect so props can differ per stack. Some cases
 * render `PidMode` values CloudFormation's schema refuses (`""`, `"SHARED"`), on purpose: the Aspect must judge
 * them. The CDK's built-in schema check would print a warning for each; what is tested is the Aspect's messages.
 */
const app = new App({ builtinCloudFormationValidation: false });

const workloads = new Stack(app, "Workloads");
const exempted = hostPidTaskDefinition(workloads, "NodeAgent", "node-agent");
(exempted.node.defaultChild as CfnResource).addMetadata("guard", { SuppressedRules: ["SOME_OTHER_RULE"] });
hostPidTaskDefinition(workloads, "DebugShell", "debug-shell");
hostPidTaskDefinition(workloads, "SharedAgent", "shared-agent");
new CfnTaskDefinition(workloads, "EmptyPidMode", { family: "batch", pidMode: "" });
new CfnTaskDefinition(workloads, "TaskPidMode", { family: "web", pidMode: "task" });
new CfnTaskDefinition(workloads, "NoPidMode", { family: "api" });
const overridden = new Ec2TaskDefinition(workloads, "Overridden", { family: "sidecar" });
overridden.addContainer("app", { image: ContainerImage.fromRegistry("nginx"), memoryLimitMiB: 64 });
(overridden.node.defaultChild as CfnResource).addPropertyOverride("PidMode", "host");
new CfnResource(workloads, "RawResource", {
  type: "AWS::ECS::TaskDefinition",
  properties: { Family: "raw", PidMode: "host" },
});
const pidModeParameter = new CfnParameter(workloads, "PidModeParameter", { allowedValues: ["host", "task"] });
new CfnTaskDefinition(workloads, "FromParameter", {
  family: "tunable",
  pidMode: pidModeParameter.valueAsString,
});
Aspects.of(workloads).add(new EcsPidModeAspect({ exceptions: EXCEPTIONS, now: NOW }), {
  priority: AspectPriority.READONLY,
});

const daemons = new Stack(app, "Daemons");
daemonTaskDefinition(daemons, "SharedDaemon", "log-shipper", "shared");
daemonTaskDefinition(daemons, "NoneDaemon", "metrics", "none");
daemonTaskDefinition(daemons, "DefaultDaemon", "tracing");
daemonTaskDefinition(daemons, "UppercaseDaemon", "profiler", "SHARED");
daemonTaskDefinition(daemons, "OverriddenDaemon", "sidecar-daemon").addPropertyOverride("PidMode", "shared");
const exemptedDaemon = daemonTaskDefinition(daemons, "ExemptedDaemon", "node-agent", "shared");
exemptedDaemon.addMetadata("guard", { SuppressedRules: [ECS_PID_MODE_GUARD_RULE_NAME] });
daemonTaskDefinition(daemons, "ExpiredDaemon", "debug-shell", "shared");
new CfnResource(daemons, "RawDaemon", {
  type: "AWS::ECS::DaemonTaskDefinition",
  properties: { Family: "raw-daemon", PidMode: "shared" },
});
const daemonPidMode = new CfnParameter(daemons, "DaemonPidModeParameter", {
  allowedValues: ["none", "shared"],
});
daemonTaskDefinition(daemons, "TunableDaemon", "tunable-daemon", daemonPidMode.valueAsString);
// A task definition named like the exempted daemon: the exception covers the family in both.
hostPidTaskDefinition(daemons, "NodeAgentTask", "node-agent");
Aspects.of(daemons).add(new EcsPidModeAspect({ exceptions: EXCEPTIONS, now: NOW }), {
  priority: AspectPriority.READONLY,
});

const agnosticWithAccount = new Stack(app, "AgnosticWithAccount");
hostPidTaskDefinition(agnosticWithAccount, "SharedAgent", "shared-agent");
Aspects.of(agnosticWithAccount).add(
  new EcsPidModeAspect({ exceptions: EXCEPTIONS, now: NOW, accountId: ACCOUNT }),
);

const pinned = new Stack(app, "Pinned", { env: { account: ACCOUNT, region: "eu-west-1" } });
hostPidTaskDefinition(pinned, "SharedAgent", "shared-agent");
Aspects.of(pinned).add(new EcsPidModeAspect({ exceptions: EXCEPTIONS, now: NOW, accountId: "222222222222" }));

const customHint = new Stack(app, "CustomHint");
new CfnTaskDefinition(customHint, "Agent", { family: "node-agent-canary", pidMode: "host" });
Aspects.of(customHint).add(
  new EcsPidModeAspect({ now: NOW, exceptionRequestHint: "Open a SECEXC ticket in the security tracker." }),
);

/** The cloud assembly `cdk synth` would write: its error messages are what make the CLI fail. */
const assembly = app.synth();

function messagesOf(stack: Stack, level: "error" | "warning" | "info", path?: string): string[] {
  return assembly
    .getStackByName(stack.stackName)
    .messages.filter((message) => message.level === level && (path === undefined || message.id === path))
    .map((message) => String(message.entry.data));
}

/** Neither an error nor a warning on any of `paths`. */
function expectLeftAlone(stack: Stack, paths: readonly string[]): void {
  for (const path of paths) {
    expect(messagesOf(stack, "error", path)).toEqual([]);
    expect(messagesOf(stack, "warning", path)).toEqual([]);
  }
}

/** One error at `path`: the exception that covered it expired at the end of 2026-10-31. */
function expectExpired(stack: Stack, path: string): void {
  expect(messagesOf(stack, "error", path)).toEqual([
    expect.stringContaining("expired at 2026-11-01T00:00:00.000Z (its last day was 2026-10-31)"),
  ]);
}

const pathsWithErrors = (stack: Stack) =>
  assembly
    .getStackByName(stack.stackName)
    .messages.filter((message) => message.level === "error")
    .map((message) => message.id)
    .sort();

const JUDGED_TYPES = ["AWS::ECS::TaskDefinition", "AWS::ECS::DaemonTaskDefinition"];

function metadataOf(stack: Stack, logicalIdPrefix: string): Record<string, unknown> {
  const { Resources } = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, unknown> }>;
  };
  const [, resource] =
    Object.entries(Resources).find(
      ([id, { Type }]) => JUDGED_TYPES.includes(Type) && id.startsWith(logicalIdPrefix),
    ) ?? [];
  if (resource === undefined) throw new Error(`no task definition ${logicalIdPrefix}* in ${stack.stackName}`);
  return resource.Metadata ?? {};
}

/**
 * The definition at `path` (logical id `id`) exempted by node-agent's exception (owner platform-observability,
 * until 2027-03-31): an info message containing `info`, Guard told to skip `suppressedRules`, the exception recorded.
 */
function expectExempted(
  stack: Stack,
  path: string,
  id: string,
  expected: { info: string; suppressedRules: string[]; target: string },
): void {
  expect(messagesOf(stack, "info", path)).toEqual([expect.stringContaining(expected.info)]);
  expect(metadataOf(stack, id)).toMatchObject({
    guard: { SuppressedRules: expected.suppressedRules },
    EcsPidModeException: { target: expected.target, owner: "platform-observability", expires: "2027-03-31" },
  });
}

describe("EcsPidModeAspect in a CDK app", () => {
  it("adds an error, which makes cdk synth fail, for each host-PID or empty pidMode no exception covers", () => {
    expect(pathsWithErrors(workloads)).toEqual([
      "/Workloads/DebugShell/Resource",
      "/Workloads/EmptyPidMode",
      "/Workloads/Overridden/Resource",
      "/Workloads/RawResource",
      "/Workloads/SharedAgent/Resource",
    ]);
  });

  it("names the construct path, the value and how to request an exception in the error", () => {
    const [message] = messagesOf(workloads, "error", "/Workloads/EmptyPidMode");
    expect(message).toContain('Workloads/EmptyPidMode: ECS task definition pidMode ""');
    expect(message).toContain('To request an exception, add {"taskDefinition":"batch","owner":"<team>"');
  });

  it("uses the organisation's own way to request an exception when given one", () => {
    expect(messagesOf(customHint, "error", "/CustomHint/Agent")).toEqual([
      expect.stringMatching(
        /Omit pidMode or set it to "task"\. Open a SECEXC ticket in the security tracker\.$/,
      ),
    ]);
  });

  it("catches pidMode host set through an escape-hatch property override", () => {
    expect(messagesOf(workloads, "error", "/Workloads/Overridden/Resource")).toEqual([
      expect.stringContaining('pidMode "host"'),
    ]);
  });

  it("says an expired exception expired, and when", () => {
    expectExpired(workloads, "/Workloads/DebugShell/Resource");
  });

  it("warns about a pidMode it cannot resolve instead of passing it", () => {
    expect(messagesOf(workloads, "warning", "/Workloads/FromParameter")).toEqual([
      expect.stringContaining('pidMode {"Ref":"PidModeParameter"} cannot be resolved at synth'),
    ]);
  });

  it("leaves pidMode task and an absent pidMode alone", () => {
    expectLeftAlone(workloads, ["/Workloads/TaskPidMode", "/Workloads/NoPidMode"]);
  });

  it("marks an exempted task definition for Guard, keeping rules it already suppressed, and records the exception", () => {
    expectExempted(workloads, "/Workloads/NodeAgent/Resource", "NodeAgent", {
      info: 'exempt until 2027-03-31 (family "node-agent", owner platform-observability)',
      suppressedRules: ["SOME_OTHER_RULE", ECS_PID_MODE_GUARD_RULE_NAME],
      target: "task definition node-agent",
    });
  });

  it("does not mark task definitions it did not exempt", () => {
    expect(metadataOf(workloads, "DebugShell")).not.toHaveProperty("guard");
    expect(metadataOf(workloads, "SharedAgent")).not.toHaveProperty("guard");
  });

  it("does not apply an account-limited exception to an environment-agnostic stack, and says how to fix that", () => {
    expect(messagesOf(workloads, "error", "/Workloads/SharedAgent/Resource")).toEqual([
      expect.stringContaining("this stack has no literal account"),
    ]);
  });

  it("applies it when the Aspect is given the account of an environment-agnostic stack", () => {
    expect(messagesOf(agnosticWithAccount, "error")).toEqual([]);
    expect(metadataOf(agnosticWithAccount, "SharedAgent")).toHaveProperty("guard.SuppressedRules", [
      ECS_PID_MODE_GUARD_RULE_NAME,
    ]);
  });

  it("matches against the stack's own account when it has one, over the Aspect's accountId", () => {
    expect(messagesOf(pinned, "error")).toEqual([]);
    expect(metadataOf(pinned, "SharedAgent")).toHaveProperty("guard.SuppressedRules", [
      ECS_PID_MODE_GUARD_RULE_NAME,
    ]);
  });
});

describe("EcsPidModeAspect on ECS Managed Daemons' task definitions", () => {
  it("adds an error for each daemon task definition whose pidMode is shared or another literal than none, and no exception covers", () => {
    expect(pathsWithErrors(daemons)).toEqual([
      "/Daemons/ExpiredDaemon",
      "/Daemons/OverriddenDaemon",
      "/Daemons/RawDaemon",
      "/Daemons/SharedDaemon",
      "/Daemons/UppercaseDaemon",
    ]);
  });

  it("names the construct path, the daemon task definition, the value and the fix in the error", () => {
    expect(messagesOf(daemons, "error", "/Daemons/SharedDaemon")).toEqual([
      expect.stringMatching(
        /^Daemons\/SharedDaemon: ECS daemon task definition pidMode "shared"; .* Omit pidMode or set it to "none"\. To request an exception, add \{"daemonTaskDefinition":"log-shipper",/,
      ),
    ]);
  });

  it("catches pidMode shared on a raw CfnResource and through an escape-hatch override", () => {
    for (const path of ["/Daemons/RawDaemon", "/Daemons/OverriddenDaemon"]) {
      expect(messagesOf(daemons, "error", path)).toEqual([expect.stringContaining('pidMode "shared"')]);
    }
  });

  it("warns about a daemon pidMode it cannot resolve, since it could be shared at deploy time", () => {
    expect(messagesOf(daemons, "warning", "/Daemons/TunableDaemon")).toEqual([
      expect.stringContaining(
        '{"Ref":"DaemonPidModeParameter"} cannot be resolved at synth and could be "shared"',
      ),
    ]);
  });

  it("leaves pidMode none and an absent pidMode alone", () => {
    expectLeftAlone(daemons, ["/Daemons/NoneDaemon", "/Daemons/DefaultDaemon"]);
  });

  it("says an expired exception for a daemon's family expired", () => {
    expectExpired(daemons, "/Daemons/ExpiredDaemon");
  });

  it("exempts a daemon whose family an approved exception covers, suppressing the daemon rule in Guard and keeping rules already suppressed", () => {
    expectExempted(daemons, "/Daemons/ExemptedDaemon", "ExemptedDaemon", {
      info: 'pidMode "shared" is exempt until 2027-03-31 (family "node-agent"',
      suppressedRules: [ECS_PID_MODE_GUARD_RULE_NAME, ECS_DAEMON_PID_MODE_GUARD_RULE_NAME],
      target: "daemon task definition node-agent",
    });
  });

  it("suppresses only the task definition rule for a task definition of the same family", () => {
    expect(metadataOf(daemons, "NodeAgentTask")).toHaveProperty("guard.SuppressedRules", [
      ECS_PID_MODE_GUARD_RULE_NAME,
    ]);
  });

  it("does not mark daemon task definitions it did not exempt", () => {
    for (const id of ["SharedDaemon", "NoneDaemon", "DefaultDaemon", "TunableDaemon", "ExpiredDaemon"]) {
      expect(metadataOf(daemons, id)).not.toHaveProperty("guard");
    }
  });
});

describe("EcsPidModeAspect on lapsed exceptions", () => {
  it("warns once on each stack it reaches about an entry already past, as the rule's synth check does", () => {
    const expected = [
      'exceptions[1] ("debug-shell"): expired after 2026-10-31 (owner sre) and exempts nothing; renew it or remove it. [ack: ecs-pid-mode:ExceptionExpired]',
      'exceptions[3] (daemon "debug-shell"): expired after 2026-10-31 (owner sre) and exempts nothing; renew it or remove it. [ack: ecs-pid-mode:ExceptionExpired]',
    ];
    expect(messagesOf(workloads, "warning", "/Workloads")).toEqual(expected);
    expect(messagesOf(daemons, "warning", "/Daemons")).toEqual(expected);
  });
});

describe("EcsPidModeAspect's props", () => {
  it("refuses an exception beyond the maximum duration with the message synth gives, unless allowed longer", () => {
    const far = [{ taskDefinition: "node-agent", owner: "obs", expires: "2028-01-31", reason: "x" }];
    expect(() => new EcsPidModeAspect({ exceptions: far, now: NOW })).toThrow(
      'exceptions[0] ("node-agent"): expires 2028-01-31, more than maxExceptionDays (365) days from today',
    );
    expect(() => new EcsPidModeAspect({ exceptions: far, now: NOW, maxExceptionDays: 500 })).not.toThrow();
    expect(() => new EcsPidModeAspect({ maxExceptionDays: 0 })).toThrow(
      /maxExceptionDays must be a whole number/,
    );
  });

  it("rejects an invalid exception entry, naming it, instead of ignoring it", () => {
    expect(
      () =>
        new EcsPidModeAspect({
          exceptions: [{ taskDefinition: "node-agent", owner: "", expires: "2027-02-30", reason: "x" }],
        }),
    ).toThrow(
      /exceptions\[0\] \("node-agent"\): owner: must not be empty; expires: must be a real calendar date/,
    );
  });

  it("rejects an accountId that is not a 12-digit account id", () => {
    expect(() => new EcsPidModeAspect({ accountId: "1111" })).toThrow(
      /accountId must be a 12-digit account id/,
    );
  });
});
