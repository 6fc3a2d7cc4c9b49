import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandOutput,
  type ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import type { EcsCaller } from "../../adapters/ecsCalls";
import { parseTaskDefinitionRef } from "../../core/taskDefinitionRef";
import { EcsAnswerError } from "../../errors";
import { everyPage } from "../../util/paging";
import { REPLACES_TAG } from "../core/replacement";
import type { ServiceRollout } from "../core/rollout";
import type { RemediationEcs, TaggedCandidate } from "../ports";
import type { PacedCalls } from "./paced";

/** How many newer ACTIVE revisions of a family are looked at for a replacement registered before. */
const REPLACEMENT_CANDIDATES = 10;

/** The ECS side of an apply: reads paced and retried, writes retried only when throttled. */
export class EcsRemediationGateway implements RemediationEcs {
  /** The rule's paced ECS caller, on the limiters this run shares. */
  private readonly ecsCaller: EcsCaller;

  constructor(
    private readonly ecs: Pick<ECSClient, "send">,
    private readonly calls: PacedCalls,
  ) {
    this.ecsCaller = calls.ecs(ecs);
  }

  describeRevision(revisionArn: string): Promise<DescribeTaskDefinitionCommandOutput> {
    return this.calls.ecsRead(this.ecsCaller, "taskDefinitionRead", "ecs:DescribeTaskDefinition", (client) =>
      client.send(new DescribeTaskDefinitionCommand({ taskDefinition: revisionArn, include: ["TAGS"] })),
    );
  }

  /**
   * ACTIVE revisions of `family` newer than `newerThan` that carry the replaces tag naming `replaces`, described
   * (at most REPLACEMENT_CANDIDATES of them, newest first). The tag only nominates: whoever can tag a revision
   * can plant one, so the caller compares each with the replacement it would register.
   */
  async taggedCandidates(family: string, replaces: string, newerThan: number): Promise<TaggedCandidate[]> {
    const candidates: TaggedCandidate[] = [];
    let looked = 0;
    const pages = everyPage(
      (nextToken) =>
        this.calls.ecsRead(this.ecsCaller, "taskDefinitionRead", "ecs:ListTaskDefinitions", (client) =>
          client.send(
            new ListTaskDefinitionsCommand({
              familyPrefix: family,
              status: "ACTIVE",
              sort: "DESC",
              maxResults: 100,
              nextToken,
            }),
          ),
        ),
      (page) => page.nextToken,
    );
    for await (const page of pages) {
      let reachedOlder = false;
      for (const arn of page.taskDefinitionArns ?? []) {
        const ref = parseTaskDefinitionRef(arn);
        if (ref?.family !== family || ref.revision === undefined) continue;
        // Skipped rather than ended on: moto lists revisions in ascending order whatever `sort` asks for.
        if (ref.revision <= newerThan) {
          reachedOlder = true;
          continue;
        }
        if (looked >= REPLACEMENT_CANDIDATES) return candidates;
        looked++;
        const described = await this.describeRevision(arn);
        if (described.tags?.some((tag) => tag.key === REPLACES_TAG && tag.value === replaces))
          candidates.push({ arn, described });
      }
      // Newest first, as ECS sorts: what follows a revision older than the offending one is older still.
      const last = parseTaskDefinitionRef(page.taskDefinitionArns?.at(-1) ?? "");
      if (reachedOlder && last?.revision !== undefined && last.revision <= newerThan) return candidates;
    }
    return candidates;
  }

  async register(input: RegisterTaskDefinitionCommandInput): Promise<string> {
    const response = await this.calls.write("ecs:RegisterTaskDefinition", () =>
      this.ecs.send(new RegisterTaskDefinitionCommand(input)),
    );
    const arn = response.taskDefinition?.taskDefinitionArn;
    if (!arn) throw new EcsAnswerError("RegisterTaskDefinition returned no taskDefinitionArn");
    return arn;
  }

  async describeService(cluster: string, service: string): Promise<ServiceRollout | undefined> {
    const response = await this.calls.ecsRead(
      this.ecsCaller,
      "serviceRead",
      "ecs:DescribeServices",
      (client) => client.send(new DescribeServicesCommand({ cluster, services: [service] })),
    );
    const found = response.services?.find(
      (entry) => entry.serviceName === service || entry.serviceArn?.endsWith(`/${service}`),
    );
    if (found === undefined || found.status === "INACTIVE") {
      const failure = response.failures?.[0];
      if (failure !== undefined && failure.reason !== "MISSING") {
        throw new EcsAnswerError(
          `DescribeServices ${cluster}/${service}: ${failure.reason ?? "unknown failure"}`,
        );
      }
      return undefined;
    }
    return {
      status: found.status,
      deploymentController: found.deploymentController?.type,
      taskDefinition: found.taskDefinition,
      deployments: (found.deployments ?? []).map((deployment) => ({
        id: deployment.id,
        status: deployment.status,
        taskDefinition: deployment.taskDefinition,
        rolloutState: deployment.rolloutState,
        rolloutStateReason: deployment.rolloutStateReason,
        desiredCount: deployment.desiredCount,
        runningCount: deployment.runningCount,
      })),
    };
  }

  async updateService(cluster: string, service: string, taskDefinitionArn: string): Promise<void> {
    await this.calls.write("ecs:UpdateService", () =>
      this.ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: taskDefinitionArn })),
    );
  }
}
