import scheduled from "../fixtures/config/scheduled.json";
import serviceChange from "../fixtures/config/service-change.json";
import taskDefinitionChange from "../fixtures/config/task-definition-change.json";
import oversized from "../fixtures/config/task-definition-oversized.json";
import { revisionArn } from "./ecsIds";

type Json = Record<string, unknown>;

/** The fields a configuration item of a deleted resource has in place of the recorded ones: no configuration. */
export const DELETED = { configurationItemStatus: "ResourceDeleted", configuration: null } as const;

/** A clone of a fixture event whose configuration item `replace` builds from the fixture's, its invokingEvent encoded again. */
function withItem(event: Json, replace: (item: Json) => Json, envelope: Json = {}): Json {
  const copy = structuredClone(event);
  const invoking = JSON.parse(String(copy.invokingEvent)) as Json;
  invoking.configurationItem = replace(invoking.configurationItem as Json);
  return { ...copy, ...envelope, invokingEvent: JSON.stringify(invoking) };
}

/**
 * The whole item Config records for a revision: the fixture's (web:3, host PID), re-addressed to
 * `family:revision` with that revision's `pidMode` (Config leaves PidMode out when the revision does not set it).
 */
export function taskDefinitionItem(family: string, revision: number, pidMode: string | undefined): Json {
  const invoking = JSON.parse(taskDefinitionChange.invokingEvent) as { configurationItem: Json };
  const item = invoking.configurationItem;
  const configuration = item.configuration as Json;
  const arn = revisionArn(`${family}:${revision}`);
  Object.assign(item, { resourceId: family, resourceName: `${family}:${revision}`, ARN: arn });
  Object.assign(configuration, { TaskDefinitionArn: arn, Family: family });
  if (pidMode === undefined) delete configuration.PidMode;
  else configuration.PidMode = pidMode;
  return item;
}

/** The fixture's task definition change; `item` replaces fields of its item (a whole `configuration` only, if any). */
export function taskDefinitionChangeEvent(item: Json = {}, envelope: Json = {}): Json {
  return withItem(taskDefinitionChange, (current) => ({ ...current, ...item }), envelope);
}

/** A service change; `configuration` fields replace the fixture's, `item` and `envelope` fields replace theirs. */
export function serviceChangeEvent(configuration: Json = {}, item: Json = {}, envelope: Json = {}): Json {
  return withItem(
    serviceChange,
    (current) => ({
      ...current,
      ...item,
      // `item.configuration: null` stands for a deleted resource, which carries no configuration.
      configuration:
        item.configuration === null ? null : { ...(current.configuration as Json), ...configuration },
    }),
    envelope,
  );
}

/** A change of an ECS cluster as Config records it (AWS::ECS::Cluster, named by its name), built on the service fixture's envelope. */
export function clusterChangeEvent(name: string, envelope: Json = {}): Json {
  const arn = `arn:aws:ecs:us-east-1:111111111111:cluster/${name}`;
  return withItem(
    serviceChange,
    (current) => ({
      ...current,
      relationships: [],
      resourceType: "AWS::ECS::Cluster",
      resourceId: name,
      resourceName: name,
      ARN: arn,
      configuration: { ClusterName: name, Arn: arn, CapacityProviders: [], Tags: [] },
    }),
    envelope,
  );
}

/** A change of an ECS task set as Config records it (AWS::ECS::TaskSet: Id, Cluster, Service, TaskDefinition, Scale). */
export function taskSetChangeEvent(
  resourceId: string,
  configuration: Json,
  item: Json = {},
  envelope: Json = {},
): Json {
  return withItem(
    serviceChange,
    (current) => ({
      ...current,
      relationships: [],
      resourceType: "AWS::ECS::TaskSet",
      resourceId,
      resourceName: String(configuration.Id ?? resourceId),
      ARN: resourceId,
      configuration,
      ...item,
    }),
    envelope,
  );
}

export function oversizedEvent(envelope: Json = {}): Json {
  return { ...structuredClone(oversized), ...envelope };
}

export function scheduledEvent(envelope: Json = {}): Json {
  return { ...structuredClone(scheduled), ...envelope };
}
