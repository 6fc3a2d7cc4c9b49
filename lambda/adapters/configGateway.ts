import {
  type ConfigServiceClient,
  GetComplianceDetailsByConfigRuleCommand,
  GetComplianceDetailsByResourceCommand,
  GetResourceConfigHistoryCommand,
  ListDiscoveredResourcesCommand,
  PutEvaluationsCommand,
  type ResourceType,
} from "@aws-sdk/client-config-service";
import type { ChangedItem } from "../core/changePlan";
import { type ComplianceType, type Evaluation, type ResourceKey, verdictKey } from "../core/verdicts";
import type { CurrentVerdict } from "../core/writes";
import { ConfigReadError, EvaluationsRejectedError, TimeLimitError } from "../errors";
import type { ComplianceStore } from "../rule/ports";
import type { Clock } from "../util/clock";
import type { InvocationDeadline } from "../util/deadline";
import { everyPage } from "../util/paging";
import { withRetry } from "./retry";

export const PUT_EVALUATIONS_BATCH = 100;
export const TEST_MODE_TOKEN = "TESTMODE";

export class ConfigGateway implements ComplianceStore {
  private readonly samples = new Map<string, Promise<string[]>>();

  constructor(
    private readonly config: Pick<ConfigServiceClient, "send">,
    private readonly clock: Clock,
    /** Reads retry within the invocation's time for reading; writes within the time before Lambda's timeout. */
    private readonly deadline?: InvocationDeadline,
  ) {}

  private readRetry() {
    return this.deadline ? { budget: this.deadline.reads } : {};
  }

  /** A listing of many pages stops where the reserve begins, like every other read. */
  private nextPageInTime(what: string): void {
    if (this.deadline !== undefined && this.deadline.reads.msLeft() <= 0)
      throw new TimeLimitError(`${what}: not read before the time limit`);
  }

  /** Every page of a listing, each read retried; with `what`, a page after the first only in time. */
  private readPages<P>(
    read: (token: string | undefined) => Promise<P>,
    nextOf: (page: P) => string | undefined,
    what?: string,
  ): AsyncGenerator<P, void, undefined> {
    return everyPage((token) => {
      if (token !== undefined && what !== undefined) this.nextPageInTime(what);
      return withRetry(() => read(token), this.clock, this.readRetry());
    }, nextOf);
  }

  /**
   * Batches of 100; every batch is sent even if one is partly rejected, then the rejections are thrown. With
   * nothing to write, one call with an empty list: the API "is required in every Lambda function that is
   * invoked by an Config rule", and whether skipping it leaves the rule's last successful evaluation stale is
   * undocumented. A batch is not begun once a request might outlast the invocation: what was not sent is
   * thrown as a time limit, so Lambda retries.
   */
  async putEvaluations(evaluations: readonly Evaluation[], resultToken: string): Promise<void> {
    const rejected: { resourceType: string; resourceId: string }[] = [];
    const writes = this.deadline?.writes;
    for (let start = 0; start === 0 || start < evaluations.length; start += PUT_EVALUATIONS_BATCH) {
      if (start > 0 && writes !== undefined && writes.msLeft() <= 0)
        throw new TimeLimitError(
          `${evaluations.length - start} of ${evaluations.length} evaluation(s) not written before the time limit`,
          { cause: rejected.length > 0 ? new EvaluationsRejectedError(rejected) : undefined },
        );
      const batch = evaluations.slice(start, start + PUT_EVALUATIONS_BATCH);
      const response = await withRetry(
        () =>
          this.config.send(
            new PutEvaluationsCommand({
              ResultToken: resultToken,
              TestMode: resultToken === TEST_MODE_TOKEN,
              Evaluations: batch.map((evaluation) => ({
                ComplianceResourceType: evaluation.resourceType,
                ComplianceResourceId: evaluation.resourceId,
                ComplianceType: evaluation.complianceType,
                Annotation: evaluation.annotation,
                OrderingTimestamp: evaluation.orderingTimestamp,
              })),
            }),
          ),
        this.clock,
        writes === undefined ? {} : { budget: writes },
      );
      for (const failed of response.FailedEvaluations ?? []) {
        rejected.push({
          resourceType: failed.ComplianceResourceType ?? "?",
          resourceId: failed.ComplianceResourceId ?? "?",
        });
      }
    }
    if (rejected.length > 0) throw new EvaluationsRejectedError(rejected);
  }

  async currentVerdicts(configRuleName: string): Promise<Map<string, CurrentVerdict>> {
    const verdicts = new Map<string, CurrentVerdict>();
    const pages = this.readPages(
      (nextToken) =>
        this.config.send(
          new GetComplianceDetailsByConfigRuleCommand({
            ConfigRuleName: configRuleName,
            ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
            Limit: 100,
            NextToken: nextToken,
          }),
        ),
      (page) => page.NextToken,
      `the rule's evaluations in AWS Config`,
    );
    for await (const page of pages) {
      for (const result of page.EvaluationResults ?? []) {
        const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
        const complianceType = result.ComplianceType as ComplianceType | undefined;
        if (!qualifier?.ResourceType || !qualifier.ResourceId || !complianceType) continue;
        verdicts.set(verdictKey(qualifier.ResourceType, qualifier.ResourceId), {
          resourceType: qualifier.ResourceType,
          resourceId: qualifier.ResourceId,
          complianceType,
          annotation: result.Annotation ?? "",
        });
      }
    }
    return verdicts;
  }

  async verdictsFor(
    configRuleName: string,
    resources: readonly ResourceKey[],
  ): Promise<Map<string, CurrentVerdict>> {
    const verdicts = new Map<string, CurrentVerdict>();
    const unique = new Map(
      resources.map((resource) => [verdictKey(resource.resourceType, resource.resourceId), resource]),
    );
    await Promise.all(
      [...unique.values()].map(async ({ resourceType, resourceId }) => {
        const pages = this.readPages(
          (nextToken) =>
            this.config.send(
              new GetComplianceDetailsByResourceCommand({
                ResourceType: resourceType,
                ResourceId: resourceId,
                ComplianceTypes: ["COMPLIANT", "NON_COMPLIANT", "NOT_APPLICABLE"],
                NextToken: nextToken,
              }),
            ),
          (page) => page.NextToken,
        );
        for await (const page of pages) {
          for (const result of page.EvaluationResults ?? []) {
            const qualifier = result.EvaluationResultIdentifier?.EvaluationResultQualifier;
            const complianceType = result.ComplianceType as ComplianceType | undefined;
            // Every rule's verdict on the resource comes back: only this rule's counts.
            if (qualifier?.ConfigRuleName !== configRuleName || !complianceType) continue;
            verdicts.set(verdictKey(resourceType, resourceId), {
              resourceType,
              resourceId,
              complianceType,
              annotation: result.Annotation ?? "",
            });
          }
        }
      }),
    );
    return verdicts;
  }

  async recordedResourceIds(resourceType: string): Promise<string[]> {
    const ids: string[] = [];
    const pages = this.readPages(
      (nextToken) =>
        this.config.send(
          new ListDiscoveredResourcesCommand({
            resourceType: resourceType as ResourceType,
            limit: 100,
            nextToken,
          }),
        ),
      (page) => page.nextToken,
      `AWS Config's recorded ${resourceType} resources`,
    );
    for await (const page of pages)
      for (const resource of page.resourceIdentifiers ?? [])
        if (resource.resourceId) ids.push(resource.resourceId);
    return ids;
  }

  sampleResourceIds(resourceType: string): Promise<string[]> {
    let sample = this.samples.get(resourceType);
    if (sample === undefined) {
      sample = withRetry(
        () =>
          this.config.send(
            new ListDiscoveredResourcesCommand({ resourceType: resourceType as ResourceType, limit: 20 }),
          ),
        this.clock,
        this.readRetry(),
      ).then((page) =>
        (page.resourceIdentifiers ?? []).flatMap((resource) =>
          resource.resourceId ? [resource.resourceId] : [],
        ),
      );
      sample.catch(() => this.samples.delete(resourceType));
      this.samples.set(resourceType, sample);
    }
    return sample;
  }

  async historicalItem(resourceType: string, resourceId: string, captureTime: Date): Promise<ChangedItem> {
    const response = await withRetry(
      () =>
        this.config.send(
          new GetResourceConfigHistoryCommand({
            resourceType: resourceType as ResourceType,
            resourceId,
            laterTime: captureTime,
            limit: 1,
          }),
        ),
      this.clock,
      this.readRetry(),
    );
    const item = response.configurationItems?.[0];
    if (!item)
      throw new ConfigReadError(
        `AWS Config has no history for ${resourceType} ${resourceId} at ${captureTime.toISOString()}`,
      );
    return {
      resourceType: item.resourceType ?? resourceType,
      resourceId: item.resourceId ?? resourceId,
      status: item.configurationItemStatus ?? "OK",
      captureTime: item.configurationItemCaptureTime ?? captureTime,
      configuration: item.configuration
        ? (JSON.parse(item.configuration) as Record<string, unknown>)
        : undefined,
    };
  }
}
