import { type InUseView, viewCovers } from "../core/types";
import type { Clock } from "./clock";
import type { InUseSource, ReadCost, ReadOptions } from "./inUseReader";

/**
 * Chooses, per container, the cheapest read that answers a change notification, and keeps one complete
 * account-wide view for `ttlMs` (counted from the end of its read: a large account's read can outlast the
 * TTL). A lone change reads only its families (one ListTasks per cluster and family). When Config sends a
 * notification per resource (a new rule, a restarted recorder), the family reads this container asked for
 * within one TTL would soon cost more than one account-wide read; from then on it reads the account once
 * and answers the rest of the burst from that view. A sweep always reads the account afresh.
 */
export class CachedInUseSource {
  private cached: { view: InUseView; readAt: number } | undefined;
  /** When this container last asked for family reads, within the TTL. */
  private recentFamilyRequests: number[] = [];
  /** What the last account-wide read cost, and how many clusters the last read of either kind listed. */
  private accountReadCalls: number | undefined;
  private clusters: number | undefined;

  constructor(
    private readonly source: InUseSource,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  /** Every RUNNING task of the account, read now. */
  async readAccount(options: ReadOptions = {}): Promise<InUseView> {
    const view = await this.source.read({
      ...options,
      onFinished: (cost) => {
        this.learn(cost);
        this.accountReadCalls = cost.calls;
        options.onFinished?.(cost);
      },
    });
    this.cached = view.unreadParts.length === 0 ? { view, readAt: this.clock.now() } : undefined;
    return view;
  }

  /** A view that covers `families`: a fresh account-wide one if there is one, else the cheaper read. */
  async readFamilies(families: readonly string[], options: ReadOptions = {}): Promise<InUseView> {
    const now = this.clock.now();
    const cached = this.cached;
    if (
      cached &&
      now - cached.readAt < this.ttlMs &&
      families.every((family) => viewCovers(cached.view, family))
    ) {
      for (const revision of cached.view.revisions) {
        if (families.includes(revision.family)) options.onRevision?.(revision.arn);
      }
      return cached.view;
    }
    this.recentFamilyRequests = this.recentFamilyRequests.filter((at) => now - at < this.ttlMs);
    this.recentFamilyRequests.push(now);
    if (this.accountReadIsCheaper(families.length)) return this.readAccount(options);
    return this.source.read({
      ...options,
      families,
      onFinished: (cost) => {
        this.learn(cost);
        options.onFinished?.(cost);
      },
    });
  }

  /**
   * A family read costs about one ListTasks per cluster and family; an account read what the last one
   * cost, or before any, at least a ListTasks and a DescribeTasks per cluster. Unknown cluster count: the
   * family read, which also learns it.
   */
  private accountReadIsCheaper(familyCount: number): boolean {
    if (this.clusters === undefined) return false;
    const listPages = Math.max(1, Math.ceil(this.clusters / 100));
    const familyReadCalls = listPages + this.clusters * familyCount;
    const accountReadCalls = this.accountReadCalls ?? listPages + 2 * this.clusters;
    return this.recentFamilyRequests.length * familyReadCalls >= accountReadCalls;
  }

  private learn(cost: ReadCost): void {
    this.clusters = cost.clusters;
  }
}
