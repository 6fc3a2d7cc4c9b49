import {
  DescribeDaemonCommand,
  DescribeDaemonRevisionsCommand,
  type DescribeDaemonRevisionsCommandOutput,
  ListDaemonsCommand,
} from "@aws-sdk/client-ecs";
import { parseDaemonResourceArn } from "../core/daemons";
import { TimeLimitError } from "../errors";
import { errorText } from "../util/errorText";
import { everyPage } from "../util/paging";
import type { EcsCaller } from "./ecsCalls";

/** DescribeDaemonRevisions takes at most 20 ARNs a call. */
export const DESCRIBE_DAEMON_REVISIONS_BATCH = 20;

/** A daemon revision ECS runs or rolls out in a cluster, and the daemon task definition it runs. */
export interface CurrentDaemonRevision {
  readonly revisionArn: string;
  /** The daemon's name. */
  readonly daemon: string;
  readonly taskDefinitionArn: string;
}

/** What the daemon APIs say about one cluster. */
export interface ClusterDaemons {
  /** False when ECS answers `UnsupportedFeatureException`: the Region has no ECS Managed Daemons. */
  readonly supported: boolean;
  /** The daemons ListDaemons listed, by name. */
  readonly names: ReadonlySet<string>;
  readonly revisions: readonly CurrentDaemonRevision[];
  /** What could not be read, each naming the daemon or revision. */
  readonly unreadParts: readonly string[];
}

/** The daemons of a cluster through the documented route. */
export interface DaemonSource {
  readCluster(clusterArn: string, shouldStop?: () => boolean): Promise<ClusterDaemons>;
  /** The daemon task definition of each daemon revision (for revisions DescribeTasks names). */
  describeRevisions(
    revisionArns: readonly string[],
    shouldStop?: () => boolean,
  ): Promise<{ readonly revisions: readonly CurrentDaemonRevision[]; readonly unread: readonly string[] }>;
}

export function isUnsupportedFeature(error: unknown): boolean {
  return error instanceof Error && error.name === "UnsupportedFeatureException";
}

function isGone(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === "DaemonNotFoundException" || error.name === "ClusterNotFoundException")
  );
}

const UNSUPPORTED: ClusterDaemons = { supported: false, names: new Set(), revisions: [], unreadParts: [] };

/**
 * ListDaemons (per cluster, 100 a page) → DescribeDaemon (its `currentRevisions`) → DescribeDaemonRevisions
 * (20 a call; each names its `daemonTaskDefinitionArn`). The daemon APIs are not in ECS's published
 * throttling table: they are paced as cluster resource reads (`ecsReadBuckets.ts` says why).
 */
export class EcsDaemonReader implements DaemonSource {
  constructor(private readonly ecs: EcsCaller) {}

  async readCluster(clusterArn: string, shouldStop?: () => boolean): Promise<ClusterDaemons> {
    const daemonArns: string[] = [];
    const pages = everyPage(
      (nextToken) => {
        if (shouldStop?.()) throw new TimeLimitError("daemons not listed before the time limit");
        return this.ecs.call("clusterResourceRead", (client) =>
          client.send(new ListDaemonsCommand({ clusterArn, maxResults: 100, nextToken })),
        );
      },
      (page) => page.nextToken,
    );
    try {
      for await (const page of pages)
        for (const summary of page.daemonSummariesList ?? [])
          if (summary.daemonArn) daemonArns.push(summary.daemonArn);
    } catch (error) {
      if (isUnsupportedFeature(error)) return UNSUPPORTED;
      if (isGone(error)) return { supported: true, names: new Set(), revisions: [], unreadParts: [] };
      return {
        supported: true,
        names: new Set(),
        revisions: [],
        unreadParts: [`daemons: ${errorText(error)}`],
      };
    }
    const names = new Set<string>();
    const unreadParts: string[] = [];
    const revisionArns: string[] = [];
    for (const daemonArn of daemonArns) {
      const name = parseDaemonResourceArn(daemonArn)?.name ?? daemonArn;
      names.add(name);
      try {
        if (shouldStop?.()) throw new TimeLimitError("not described before the time limit");
        const response = await this.ecs.call("clusterResourceRead", (client) =>
          client.send(new DescribeDaemonCommand({ daemonArn })),
        );
        for (const revision of response.daemon?.currentRevisions ?? [])
          if (revision.arn) revisionArns.push(revision.arn);
      } catch (error) {
        // A daemon deleted since it was listed runs nothing.
        if (!isGone(error)) unreadParts.push(`daemon ${name}: ${errorText(error)}`);
      }
    }
    const described = await this.describeRevisions(revisionArns, shouldStop);
    return {
      supported: true,
      names,
      revisions: described.revisions,
      unreadParts: [...unreadParts, ...described.unread],
    };
  }

  async describeRevisions(
    revisionArns: readonly string[],
    shouldStop?: () => boolean,
  ): Promise<{ revisions: CurrentDaemonRevision[]; unread: string[] }> {
    const unique = [...new Set(revisionArns)];
    const revisions: CurrentDaemonRevision[] = [];
    const unread: string[] = [];
    for (let start = 0; start < unique.length; start += DESCRIBE_DAEMON_REVISIONS_BATCH) {
      const batch = unique.slice(start, start + DESCRIBE_DAEMON_REVISIONS_BATCH);
      let response: DescribeDaemonRevisionsCommandOutput;
      try {
        if (shouldStop?.()) throw new TimeLimitError("not described before the time limit");
        response = await this.ecs.call("clusterResourceRead", (client) =>
          client.send(new DescribeDaemonRevisionsCommand({ daemonRevisionArns: batch })),
        );
      } catch (error) {
        for (const arn of batch) unread.push(`daemon revision ${arn}: ${errorText(error)}`);
        continue;
      }
      const answered = new Set<string>();
      for (const revision of response.daemonRevisions ?? []) {
        const arn = revision.daemonRevisionArn;
        if (arn === undefined || !batch.includes(arn)) continue;
        answered.add(arn);
        const name = parseDaemonResourceArn(revision.daemonArn ?? arn)?.name ?? arn;
        if (revision.daemonTaskDefinitionArn)
          revisions.push({
            revisionArn: arn,
            daemon: name,
            taskDefinitionArn: revision.daemonTaskDefinitionArn,
          });
        else unread.push(`daemon revision ${arn}: no daemon task definition in ECS's answer`);
      }
      // A revision ECS does not describe (a failure of any reason, or no answer) may run a shared daemon.
      for (const arn of batch) {
        if (answered.has(arn)) continue;
        const failure = (response.failures ?? []).find((failed) => failed.arn === arn);
        unread.push(`daemon revision ${arn}: ${failure?.reason ?? "not in ECS's answer"}`);
      }
    }
    return { revisions, unread };
  }
}
