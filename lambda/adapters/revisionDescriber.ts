import { DescribeDaemonTaskDefinitionCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import type { RevisionFacts } from "../core/inUseView";
import { isDaemonDefinitionArn, parseRevisionArn } from "../core/taskDefinitionRef";
import { EcsAnswerError, TimeLimitError } from "../errors";
import type { DescribeResult, RevisionSource } from "../rule/ports";
import { Semaphore } from "../util/concurrency";
import { errorText } from "../util/errorText";
import type { EcsCaller } from "./ecsCalls";

/**
 * Revisions never change once registered, so a container keeps their descriptions for its whole life.
 * One cache serves every account the container acts for (ARNs carry the account). Oldest entries are
 * dropped past `capacity` so an organization-wide container stays within its memory.
 */
export class RevisionFactsCache {
  private readonly byArn = new Map<string, RevisionFacts>();

  constructor(private readonly capacity = 100_000) {}

  get(arn: string): RevisionFacts | undefined {
    return this.byArn.get(arn);
  }

  put(facts: RevisionFacts): void {
    this.byArn.delete(facts.arn);
    this.byArn.set(facts.arn, facts);
    while (this.byArn.size > this.capacity) {
      const oldest = this.byArn.keys().next().value as string;
      this.byArn.delete(oldest);
    }
  }

  get size(): number {
    return this.byArn.size;
  }
}

/** One DescribeTaskDefinition per distinct revision, ever; concurrent callers share the call in flight. */
export class EcsRevisionDescriber implements RevisionSource {
  private readonly inFlight = new Map<string, Promise<RevisionFacts>>();
  private readonly slots: Semaphore;

  constructor(
    private readonly ecs: EcsCaller,
    private readonly cache: RevisionFactsCache,
    concurrency = 8,
  ) {
    this.slots = new Semaphore(concurrency);
  }

  prefetch(arn: string, shouldStop?: () => boolean): void {
    this.describeArn(arn, shouldStop).catch(() => undefined);
  }

  remember(facts: RevisionFacts): void {
    this.cache.put(facts);
  }

  async describeAll(arns: readonly string[], shouldStop?: () => boolean): Promise<DescribeResult> {
    const facts = new Map<string, RevisionFacts>();
    const unread = new Map<string, string>();
    await Promise.all(
      arns.map(async (arn) => {
        try {
          facts.set(arn, await this.describeArn(arn, shouldStop));
        } catch (error) {
          unread.set(arn, error instanceof TimeLimitError ? error.message : errorText(error));
        }
      }),
    );
    return { facts, unread };
  }

  describeReference(reference: string): Promise<RevisionFacts> {
    if (reference.startsWith("arn:")) return this.describeArn(reference);
    return this.fetch(reference);
  }

  private describeArn(arn: string, shouldStop?: () => boolean): Promise<RevisionFacts> {
    const known = this.cache.get(arn);
    if (known) return Promise.resolve(known);
    let pending = this.inFlight.get(arn);
    if (pending === undefined) {
      pending = this.fetch(arn, shouldStop).finally(() => this.inFlight.delete(arn));
      this.inFlight.set(arn, pending);
    }
    return pending;
  }

  /** Checked inside the slot, right before the call: describes queued behind the slots stop at the deadline. */
  private async fetch(reference: string, shouldStop?: () => boolean): Promise<RevisionFacts> {
    const described = await this.slots.run(() => {
      if (shouldStop?.()) throw new TimeLimitError("not described before the time limit");
      return isDaemonDefinitionArn(reference) ? this.describeDaemon(reference) : this.describeTask(reference);
    });
    const parsed = described.arn === undefined ? undefined : parseRevisionArn(described.arn);
    if (described.arn === undefined || parsed === undefined) {
      throw new EcsAnswerError(`describing ${reference} returned no revision ARN`);
    }
    const facts: RevisionFacts = {
      arn: described.arn,
      family: parsed.family,
      revision: parsed.revision,
      pidMode: described.pidMode,
    };
    this.cache.put(facts);
    return facts;
  }

  private async describeTask(reference: string): Promise<{ arn?: string; pidMode?: string }> {
    const response = await this.ecs.call("taskDefinitionRead", (client) =>
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference })),
    );
    return { arn: response.taskDefinition?.taskDefinitionArn, pidMode: response.taskDefinition?.pidMode };
  }

  /** Which ECS bucket daemon task definition reads draw from is not published: the task definition one is assumed. */
  private async describeDaemon(arn: string): Promise<{ arn?: string; pidMode?: string }> {
    const response = await this.ecs.call("taskDefinitionRead", (client) =>
      client.send(new DescribeDaemonTaskDefinitionCommand({ daemonTaskDefinition: arn })),
    );
    const definition = response.daemonTaskDefinition;
    return { arn: definition?.daemonTaskDefinitionArn, pidMode: definition?.pidMode };
  }
}
