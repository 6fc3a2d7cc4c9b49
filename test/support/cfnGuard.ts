import { spawnSync } from "node:child_process";
import * as path from "node:path";

/** The real cfn-guard that @cdklabs/cdk-validator-cfnguard ships, for this machine (Linux or macOS, x64 or arm64). */
export function cfnGuardBinary(): string {
  const architectures: Record<string, string> = { x64: "x86_64", arm64: "aarch64" };
  const platforms: Record<string, string> = { linux: "ubuntu", darwin: "macos" };
  const architecture = architectures[process.arch];
  const platform = platforms[process.platform];
  if (platform === undefined || architecture === undefined) {
    throw new Error(
      `no cfn-guard build for ${process.platform}/${process.arch}; the package ships Linux and macOS builds`,
    );
  }
  const packageDir = path.dirname(require.resolve("@cdklabs/cdk-validator-cfnguard/package.json"));
  return path.join(packageDir, "bin", platform, architecture, "cfn-guard");
}

export const CONTROL_TOWER_PID_MODE_RULE = path.join(
  path.dirname(require.resolve("@cdklabs/cdk-validator-cfnguard/package.json")),
  "rules/control-tower/cfn-guard/ecs/ct-ecs-pr-10.guard",
);

export type GuardStatus = "PASS" | "FAIL" | "SKIP";

export interface GuardRun {
  readonly exitCode: number | null;
  readonly status: GuardStatus;
  /** Paths of the values that made a clause fail, e.g. `/Resources/Web/Properties/PidMode`. */
  readonly failingPaths: readonly string[];
  /** Each rule's own outcome, by rule name: the file's status is only the worst of them. */
  readonly ruleStatuses: Readonly<Record<string, GuardStatus>>;
  readonly output: string;
}

function collectPaths(value: unknown, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectPaths(item, into);
  } else if (typeof value === "object" && value !== null) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "path" && typeof inner === "string" && inner !== "") into.add(inner);
      else collectPaths(inner, into);
    }
  }
}

/** `cfn-guard validate --rules <rules> --data <data>` with structured JSON output. */
export function validateWithGuard(rules: string, data: string): GuardRun {
  const run = spawnSync(
    cfnGuardBinary(),
    [
      "validate",
      "--rules",
      rules,
      "--data",
      data,
      "--output-format",
      "json",
      "--structured",
      "--show-summary",
      "none",
    ],
    { encoding: "utf8" },
  );
  const [report] = JSON.parse(run.stdout) as {
    status: GuardStatus;
    compliant: string[];
    not_applicable: string[];
    not_compliant: { Rule: { name: string } }[];
  }[];
  if (report === undefined) throw new Error(`cfn-guard printed no report: ${run.stderr}`);
  const paths = new Set<string>();
  collectPaths(report.not_compliant, paths);
  const ruleStatuses: Record<string, GuardStatus> = {};
  for (const name of report.compliant) ruleStatuses[name] = "PASS";
  for (const name of report.not_applicable) ruleStatuses[name] = "SKIP";
  for (const { Rule } of report.not_compliant) ruleStatuses[Rule.name] = "FAIL";
  return {
    exitCode: run.status,
    status: report.status,
    failingPaths: [...paths].sort(),
    ruleStatuses,
    output: run.stdout,
  };
}
