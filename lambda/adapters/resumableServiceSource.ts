import { RESUME_MAX_AGE_MS } from "../core/ruleDefaults";
import type { ServiceState, ServiceToDescribe } from "../core/services";
import type { ServiceSource, ServicesRead } from "../rule/ports";
import type { Clock } from "../util/clock";

interface TimedState {
  readonly state: ServiceState;
  readonly readAt: number;
}

/**
 * Keeps the services a sweep described, with when, under the sweep's key: Lambda's retries of the same event
 * take those described less than `maxAgeMs` ago as they were and describe only the rest. On an account of
 * 150,000 tasks the services alone (about 10,000 DescribeServices) outlast one invocation at the default share,
 * so a sweep that described them afresh on every attempt would never complete. Reads without a key (change
 * notifications) always describe.
 */
export class ResumableServiceSource implements ServiceSource {
  private kept: { key: string; states: Map<string, TimedState> } | undefined;

  constructor(
    private readonly source: ServiceSource,
    private readonly clock: Clock,
    private readonly maxAgeMs = RESUME_MAX_AGE_MS,
  ) {}

  async describe(
    services: readonly ServiceToDescribe[],
    options: { readonly resumeKey?: string } = {},
  ): Promise<ServicesRead> {
    const { resumeKey } = options;
    if (resumeKey === undefined) return this.source.describe(services);
    if (this.kept?.key !== resumeKey) this.kept = { key: resumeKey, states: new Map() };
    const kept = this.kept.states;
    const now = this.clock.now();
    const states = new Map<string, ServiceState>();
    const toDescribe: ServiceToDescribe[] = [];
    for (const service of services) {
      const earlier = kept.get(service.resourceId);
      if (earlier !== undefined && now - earlier.readAt <= this.maxAgeMs)
        states.set(service.resourceId, earlier.state);
      else toDescribe.push(service);
    }
    if (toDescribe.length === 0) return { states, unread: new Map() };
    const read = await this.source.describe(toDescribe);
    const readAt = this.clock.now();
    for (const [id, state] of read.states) {
      kept.set(id, { state, readAt });
      states.set(id, state);
    }
    return { states, unread: read.unread };
  }
}
