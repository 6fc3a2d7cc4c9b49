import { type InUseView, viewCovers } from "../core/inUseView";
import { DEFAULT_VIEW_CACHE_SECONDS, RESUME_MAX_AGE_MS } from "../core/ruleDefaults";
import type { ClusterRead, FamilyReadOptions, InUseViews, ReadCost, ReadOptions } from "../rule/ports";
import type { Clock } from "../util/clock";
import type { InUseSource } from "./inUseReader";

/**
 * Chooses, per container, the cheapest read that answers a change notification, and keeps one complete
 * account-wide view for `ttlMs` (counted from the end of its read: a large account's read can outlast the
 * TTL). A lone change reads only its families (one ListTasks per cluster and family). When Config sends a
 * notification per resource (a new rule, a restarted recorder), events arrive back to back: once the family
 * reads of such a streak have cost as much as one account-wide read would, the container reads the account
 * and answers the rest of the streak from that view, reading the account again whenever it expires. A
 * pause longer than the TTL ends the streak. A notification that says many more will follow starts with the
 * account read. A sweep reads the account afresh, but keeps the clusters it read to the end (with when):
 * Lambda's retries of the same event (`resumeKey`), usually in the same warm container, take those read
 * less than `resumeMaxAgeMs` ago as they are and read only the rest.
 */
export class CachedInUseSource implements InUseViews {
  private cached: { view: InUseView; readAt: number } | undefined;
  /** The streak of change notifications this container is in. */
  private streak = { familyReadCalls: 0, readAccount: false };
  private lastActivityAt: number | undefined;
  /** What the last account-wide read cost, and how many clusters the last read of either kind listed. */
  private accountReadCalls: number | undefined;
  private clusters: number | undefined;
  /** The clusters an incomplete sweep read to the end, and when; kept for the sweep's retry. */
  private resumable: { key: string; reads: Map<string, TimedRead> } | undefined;

  constructor(
    private readonly source: InUseSource,
    private readonly clock: Clock,
    private readonly ttlMs = DEFAULT_VIEW_CACHE_SECONDS * 1000,
    private readonly resumeMaxAgeMs = RESUME_MAX_AGE_MS,
  ) {}

  /** Every RUNNING task of the account: read now, but for clusters an earlier attempt of the same sweep read. */
  async readAccount(options: ReadOptions = {}): Promise<InUseView> {
    const key =
      options.resumeKey === undefined ? undefined : `${options.resumeKey}|${options.includeDaemons ?? false}`;
    const kept = new Map<string, TimedRead>();
    if (key !== undefined && this.resumable?.key === key) {
      const now = this.clock.now();
      for (const [arn, timed] of this.resumable.reads)
        if (now - timed.readAt <= this.resumeMaxAgeMs) kept.set(arn, timed);
    }
    const earlierReads = new Map([...kept].map(([arn, timed]) => [arn, timed.read]));
    try {
      const view = await this.source.read({
        ...options,
        earlierReads,
        onClusterRead: (read) => {
          if (read.complete && !kept.has(read.clusterArn))
            kept.set(read.clusterArn, { read, readAt: this.clock.now() });
          options.onClusterRead?.(read);
        },
        onFinished: (cost) => {
          this.clusters = cost.clusters;
          this.accountReadCalls = cost.calls;
          options.onFinished?.(cost);
        },
      });
      // Kept until another sweep reads: the sweep may still fail after its reads (a revision, a service).
      this.resumable = key === undefined ? undefined : { key, reads: kept };
      // A view partly made of earlier reads is as old as its oldest: not one to answer change notifications.
      this.cached =
        view.unreadParts.length === 0 && earlierReads.size === 0
          ? { view, readAt: this.clock.now() }
          : undefined;
      return view;
    } finally {
      this.lastActivityAt = this.clock.now();
    }
  }

  /** A view that covers `families`: a fresh account-wide one if there is one, else the cheaper read. */
  async readFamilies(families: readonly string[], options: FamilyReadOptions = {}): Promise<InUseView> {
    const { manyMayFollow = false, ...readOptions } = options;
    const now = this.clock.now();
    if (this.lastActivityAt === undefined || now - this.lastActivityAt > this.ttlMs) {
      this.streak = { familyReadCalls: 0, readAccount: false };
    }
    const cached = this.cached;
    if (
      cached &&
      now - cached.readAt < this.ttlMs &&
      families.every((family) => viewCovers(cached.view, family))
    ) {
      this.lastActivityAt = now;
      for (const revision of cached.view.revisions) {
        if (families.includes(revision.family)) readOptions.onRevision?.(revision.arn);
      }
      return cached.view;
    }
    if (manyMayFollow || this.streak.readAccount || this.accountReadIsCheaper(families.length)) {
      this.streak.readAccount = true;
      return this.readAccount(readOptions);
    }
    try {
      return await this.source.read({
        ...readOptions,
        families,
        onFinished: (cost: ReadCost) => {
          this.clusters = cost.clusters;
          this.streak.familyReadCalls += cost.calls;
          readOptions.onFinished?.(cost);
        },
      });
    } finally {
      this.lastActivityAt = this.clock.now();
    }
  }

  /**
   * Whether this family read would bring the streak's family reads to the cost of one account read: about
   * one ListTasks per cluster and family against what the last account read cost, or before any, at least
   * a ListTasks and a DescribeTasks per cluster. Unknown cluster count: the family read, which learns it.
   */
  private accountReadIsCheaper(familyCount: number): boolean {
    if (this.clusters === undefined) return false;
    const listPages = Math.max(1, Math.ceil(this.clusters / 100));
    const familyReadCalls = listPages + this.clusters * familyCount;
    const accountReadCalls = this.accountReadCalls ?? listPages + 2 * this.clusters;
    return this.streak.familyReadCalls + familyReadCalls >= accountReadCalls;
  }
}

interface TimedRead {
  readonly read: ClusterRead;
  readonly readAt: number;
}
