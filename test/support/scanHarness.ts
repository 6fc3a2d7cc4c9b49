import type { STSClient } from "@aws-sdk/client-sts";
import { SAMPLE } from "../../cli/demo/runDemo";
import { runScan, type ScanEnvironment } from "../../cli/scan/runScan";
import type { Connection } from "../../cli/shared/clients";
import type { Terminal } from "../../cli/shared/terminal";
import type { SimAccount } from "../../sim/account";
import { simulateAws } from "../../sim/clients";
import type { SimulatedEcs } from "../../sim/simulatedEcs";

// `ecs-pid-mode scan` run in the test's process, on the shipped sample account simulated behind real SDK clients.

export const ACCOUNT_ID = SAMPLE.account.accountId;
export const NOW = Date.UTC(2026, 10, 30, 12, 0, 0);
/** The sample's exceptions as a file the scan reads with `--exceptions exceptions.json`. */
export const EXCEPTIONS_FILE = { "exceptions.json": JSON.stringify(SAMPLE.exceptions) };

/** The sample's web service beside a RUNNING ECS Managed Daemon that shares the host PID namespace. */
export const DAEMON_ACCOUNT: SimAccount = {
  ...SAMPLE.account,
  clusters: [
    {
      name: "managed",
      tasks: [
        { id: "a1", taskDefinition: "web:3", service: "web" },
        { id: "d1", taskDefinition: "node-agent:2", daemon: "node-agent" },
      ],
    },
  ],
  revisions: [
    ...SAMPLE.account.revisions,
    { family: "node-agent", revision: 2, kind: "daemon", pidMode: "shared" },
  ],
};

export interface ScanSetup {
  /** @default SAMPLE.account */
  readonly account?: SimAccount;
  readonly intercept?: (action: string, input: Record<string, unknown>) => void;
  readonly sts?: Pick<STSClient, "send">;
  readonly defaultRegion?: () => Promise<string>;
  /** @default ["default"] */
  readonly profiles?: string[];
  readonly envProfile?: string;
  /** The files the scan may read, by the path it is given; any other is missing. */
  readonly files?: Record<string, string>;
  readonly terminal?: Terminal;
}

/** Runs the scan; nothing leaves the process. What it printed, what it asked for and the files it wrote. */
export async function scanSample(argv: string[], setup: ScanSetup = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const ecsByRegion = new Map<string, SimulatedEcs>();
  const profilesAsked: (string | undefined)[] = [];
  const connections: (Connection | undefined)[] = [];
  const written = new Map<string, string>();
  const env: ScanEnvironment = {
    ...(setup.terminal === undefined ? {} : { terminal: setup.terminal }),
    clientsFor: (profile, connection) => {
      profilesAsked.push(profile);
      connections.push(connection);
      return {
        ecs: (region) => {
          const aws = simulateAws(
            { ...(setup.account ?? SAMPLE.account), region },
            { ecs: { intercept: setup.intercept } },
          );
          ecsByRegion.set(region, aws.ecs);
          return aws.clients.ecs();
        },
        sts: () => setup.sts ?? { send: async () => ({ Account: ACCOUNT_ID, $metadata: {} }) },
        // The simulated account has no load balancers and no public IPs to report.
        elb: () => ({ send: async () => ({ TargetGroups: [], LoadBalancers: [], $metadata: {} }) }),
        ec2: () => ({ send: async () => ({ NetworkInterfaces: [], Reservations: [], $metadata: {} }) }),
        defaultRegion: setup.defaultRegion ?? (async () => "us-east-1"),
      };
    },
    knownProfiles: async () => new Set(setup.profiles ?? ["default"]),
    envProfile: setup.envProfile,
    readTextFile: async (path) => {
      const text = setup.files?.[path];
      if (text === undefined)
        throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), {
          name: "Error",
          code: "ENOENT",
        });
      return text;
    },
    writeTextFile: async (path, text) => {
      written.set(path, text);
    },
    clock: { now: () => NOW, sleep: async () => undefined },
    stdout: (text) => stdout.push(text),
    stderr: { isTTY: false, write: (text: string) => stderr.push(text) },
  };
  const status = await runScan(argv, env);
  return {
    status,
    stdout: stdout.join(""),
    stderr: stderr.join(""),
    ecsByRegion,
    profilesAsked,
    connections,
    written,
  };
}
