import type { SimAccount, SimHistoryItem, SimVerdict } from "./account";
import { ServiceError } from "./inProcessHandler";
import { page } from "./paging";

// The simulator spells AWS's resource types itself, as AWS would send them, rather than taking the rule's.
const TASK_DEFINITION_TYPE = "AWS::ECS::TaskDefinition";
const CLUSTER_TYPE = "AWS::ECS::Cluster";
const TASK_SET_TYPE = "AWS::ECS::TaskSet";

export interface WrittenEvaluation extends SimVerdict {
  readonly orderingTimestamp: number;
  readonly testMode: boolean;
}

export interface SimulatedConfigOptions {
  /** The rule the held verdicts belong to, as GetComplianceDetailsByResource names it. @default the rule name of the test fixtures */
  readonly ruleName?: string;
  /** Runs before every call; throw a ServiceError to inject a failure. */
  readonly intercept?: (action: string, input: Record<string, unknown>) => void;
}

/**
 * The part of AWS Config the rule uses. Unlike moto's, it keeps what PutEvaluations writes (outside
 * test mode) and answers GetComplianceDetailsByConfigRule from it, so a second sweep can be judged.
 */
export class SimulatedConfig {
  readonly written: WrittenEvaluation[] = [];
  readonly calls = new Map<string, number>();
  private readonly verdicts = new Map<string, SimVerdict>();
  private readonly recorded: readonly string[];
  private readonly history: readonly SimHistoryItem[];
  private readonly recordedTaskSetIds: readonly string[];
  /** AWS::ECS::Cluster ids Config records; by default the cluster names. */
  recordedClusterIds: readonly string[];
  private readonly ruleName: string;

  constructor(
    account: SimAccount,
    private readonly options: SimulatedConfigOptions = {},
  ) {
    this.recorded = account.recordedTaskDefinitionIds ?? [
      ...new Set(
        account.revisions
          // Daemon task definitions are no AWS::ECS::TaskDefinition: Config has no type for them.
          .filter((revision) => (revision.status ?? "ACTIVE") === "ACTIVE" && revision.kind !== "daemon")
          .map((revision) => revision.family),
      ),
    ];
    this.history = account.history ?? [];
    this.recordedTaskSetIds = account.recordedTaskSetIds ?? [];
    this.recordedClusterIds = account.clusters.map((cluster) => cluster.name);
    this.ruleName = options.ruleName ?? "ecs-in-use-task-definitions-no-host-pid";
    for (const verdict of account.verdicts ?? [])
      this.verdicts.set(`${verdict.resourceType}|${verdict.resourceId}`, verdict);
  }

  /** Verdicts Config holds now, sorted by resource. */
  currentVerdicts(): SimVerdict[] {
    return [...this.verdicts.values()].sort((a, b) =>
      `${a.resourceType}|${a.resourceId}`.localeCompare(`${b.resourceType}|${b.resourceId}`),
    );
  }

  route = (action: string, input: Record<string, unknown>): unknown => {
    this.calls.set(action, (this.calls.get(action) ?? 0) + 1);
    this.options.intercept?.(action, input);
    switch (action) {
      case "PutEvaluations":
        return this.putEvaluations(input);
      case "GetComplianceDetailsByConfigRule": {
        const types = (input.ComplianceTypes as string[] | undefined) ?? ["COMPLIANT", "NON_COMPLIANT"];
        const matching = this.currentVerdicts().filter((verdict) => types.includes(verdict.complianceType));
        const result = page(matching, input.NextToken, input.Limit);
        return {
          EvaluationResults: result.items.map((verdict) => ({
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: input.ConfigRuleName,
                ResourceType: verdict.resourceType,
                ResourceId: verdict.resourceId,
              },
            },
            ComplianceType: verdict.complianceType,
            Annotation: verdict.annotation,
          })),
          NextToken: result.nextToken,
        };
      }
      case "GetComplianceDetailsByResource": {
        const verdict = this.verdicts.get(`${input.ResourceType}|${input.ResourceId}`);
        const types = (input.ComplianceTypes as string[] | undefined) ?? ["COMPLIANT", "NON_COMPLIANT"];
        const matching = verdict && types.includes(verdict.complianceType) ? [verdict] : [];
        return {
          EvaluationResults: matching.map((found) => ({
            EvaluationResultIdentifier: {
              EvaluationResultQualifier: {
                ConfigRuleName: this.ruleName,
                ResourceType: found.resourceType,
                ResourceId: found.resourceId,
              },
            },
            ComplianceType: found.complianceType,
            Annotation: found.annotation,
          })),
        };
      }
      case "ListDiscoveredResources": {
        const ids =
          input.resourceType === TASK_DEFINITION_TYPE
            ? this.recorded
            : input.resourceType === CLUSTER_TYPE
              ? this.recordedClusterIds
              : input.resourceType === TASK_SET_TYPE
                ? this.recordedTaskSetIds
                : [];
        const result = page(ids, input.nextToken, input.limit);
        return {
          resourceIdentifiers: result.items.map((id) => ({
            resourceType: input.resourceType,
            resourceId: id,
            resourceName: id,
          })),
          nextToken: result.nextToken,
        };
      }
      case "GetResourceConfigHistory":
        return this.resourceHistory(input);
      default:
        throw new ServiceError("InvalidAction", `the simulator does not implement ${action}`);
    }
  };

  /** Newest item captured at or before `laterTime`, in the history API's shape (configuration as a JSON string). */
  private resourceHistory(input: Record<string, unknown>) {
    const laterTime =
      input.laterTime === undefined ? Number.POSITIVE_INFINITY : Number(input.laterTime) * 1000;
    const items = this.history
      .filter((item) => item.resourceType === input.resourceType && item.resourceId === input.resourceId)
      .filter((item) => Date.parse(item.captureTime) <= laterTime)
      .sort((a, b) => Date.parse(b.captureTime) - Date.parse(a.captureTime))
      .slice(0, Number(input.limit ?? 10));
    return {
      configurationItems: items.map((item) => ({
        resourceType: item.resourceType,
        resourceId: item.resourceId,
        configurationItemStatus: item.status ?? "OK",
        configurationItemCaptureTime: Date.parse(item.captureTime) / 1000,
        configuration: JSON.stringify(item.configuration),
      })),
    };
  }

  private putEvaluations(input: Record<string, unknown>) {
    const evaluations = (input.Evaluations as Record<string, unknown>[] | undefined) ?? [];
    if (evaluations.length > 100)
      throw new ServiceError("ValidationException", "Evaluations: at most 100 a call");
    if (!input.ResultToken) throw new ServiceError("ValidationException", "ResultToken is required");
    const testMode = input.TestMode === true;
    for (const evaluation of evaluations) {
      const annotation = String(evaluation.Annotation ?? "");
      if (annotation.length < 1 || annotation.length > 256) {
        throw new ServiceError(
          "ValidationException",
          `Annotation must be 1 to 256 characters, got ${annotation.length}`,
        );
      }
      const verdict: SimVerdict = {
        resourceType: String(evaluation.ComplianceResourceType),
        resourceId: String(evaluation.ComplianceResourceId),
        complianceType: String(evaluation.ComplianceType),
        annotation,
      };
      this.written.push({ ...verdict, orderingTimestamp: Number(evaluation.OrderingTimestamp), testMode });
      if (!testMode) this.verdicts.set(`${verdict.resourceType}|${verdict.resourceId}`, verdict);
    }
    return { FailedEvaluations: [] };
  }
}
