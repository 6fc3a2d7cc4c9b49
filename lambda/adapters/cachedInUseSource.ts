import type { InUseView } from "../core/types";
import type { Clock } from "./clock";
import type { InUseSource, ReadOptions } from "./inUseReader";

/**
 * When a rule is created Config sends a change notification for every recorded resource. Each needs the
 * account-wide view, so a warm container reuses one complete view for `ttlMs` instead of rescanning per
 * event. A sweep asks for `fresh` and refreshes the cache for the events after it.
 */
export class CachedInUseSource {
  private cached: { view: InUseView; readAt: number } | undefined;

  constructor(
    private readonly source: InUseSource,
    private readonly clock: Clock,
    private readonly ttlMs = 60_000,
  ) {}

  async read(options: ReadOptions & { fresh?: boolean } = {}): Promise<InUseView> {
    const now = this.clock.now();
    if (!options.fresh && this.cached && now - this.cached.readAt < this.ttlMs) {
      for (const revision of this.cached.view.revisions) options.onRevision?.(revision.arn);
      return this.cached.view;
    }
    const view = await this.source.read(options);
    // Counted from the end of the read: a large account's read can outlast the TTL, and counted from its
    // start the view would be stale on arrival, so every event of a burst would rescan the account.
    this.cached = view.unreadParts.length === 0 ? { view, readAt: this.clock.now() } : undefined;
    return view;
  }
}
