// What of a described revision is RegisterTaskDefinition input, and whether two register inputs define the
// same thing once what ECS fills in by default is set aside. Pure: the SDK is imported for its types only.
import type { RegisterTaskDefinitionCommandInput, TaskDefinition } from "@aws-sdk/client-ecs";
import { ReplacementError } from "../../errors";

type RegisterMember = keyof RegisterTaskDefinitionCommandInput;
type OutputOnlyMember = Exclude<keyof TaskDefinition, RegisterMember>;

/**
 * Every member of RegisterTaskDefinition's input. `satisfies` with an object literal makes tsc refuse this
 * list when the SDK adds or removes a member, so it cannot fall behind the SDK the tool is built with.
 */
export const REGISTER_MEMBERS = {
  family: true,
  containerDefinitions: true,
  taskRoleArn: true,
  executionRoleArn: true,
  networkMode: true,
  volumes: true,
  placementConstraints: true,
  requiresCompatibilities: true,
  cpu: true,
  memory: true,
  tags: true,
  pidMode: true,
  ipcMode: true,
  proxyConfiguration: true,
  inferenceAccelerators: true,
  ephemeralStorage: true,
  runtimePlatform: true,
  enableFaultInjection: true,
  trustedExecutionConfiguration: true,
} as const satisfies Record<RegisterMember, true>;

/**
 * The members of `TaskDefinition` that RegisterTaskDefinition does not take: ECS sets them. Derived from the
 * two SDK types (`keyof TaskDefinition` less the register input's keys): tsc refuses this list when the SDK
 * adds an output-only member, and test/unit/lambda/remediation/core/registerInput.test.ts compares it with the
 * SDK's own schema at run time.
 */
export const OUTPUT_ONLY_MEMBERS = {
  taskDefinitionArn: true,
  revision: true,
  status: true,
  requiresAttributes: true,
  compatibilities: true,
  registeredAt: true,
  deregisteredAt: true,
  deleteRequestedAt: true,
  registeredBy: true,
} as const satisfies Record<OutputOnlyMember, true>;

export interface Tag {
  readonly key?: string | undefined;
  readonly value?: string | undefined;
}

/**
 * The register input a described revision stands for: every register member it has, none of the output-only
 * ones. A member that is neither (an SDK newer than this list could only come with a rebuild, but a hostile
 * object could carry anything) is refused: whether a replacement must carry it cannot be told.
 */
export function registerInputOf(
  definition: TaskDefinition,
  tags: readonly Tag[] | undefined,
): RegisterTaskDefinitionCommandInput {
  const input: Record<string, unknown> = {};
  for (const [member, value] of Object.entries(definition)) {
    if (value === undefined) continue;
    if (Object.hasOwn(OUTPUT_ONLY_MEMBERS, member)) continue;
    if (!Object.hasOwn(REGISTER_MEMBERS, member) || member === "tags") {
      throw new ReplacementError(
        `${definition.family ?? "?"}:${definition.revision ?? "?"}: unknown task definition member ${JSON.stringify(member)}: cannot tell whether its replacement must carry it`,
      );
    }
    input[member] = value;
  }
  if (tags !== undefined && tags.length > 0) input.tags = tags.map((tag) => ({ ...tag }));
  return input as unknown as RegisterTaskDefinitionCommandInput;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** ECS's documented defaults inside a container definition: what it returns when they were not given. */
function normalizeContainer(container: Record<string, Json>, networkMode: Json | undefined): void {
  if (container.essential === true) delete container.essential;
  if (container.cpu === 0) delete container.cpu;
  const mappings = container.portMappings;
  if (Array.isArray(mappings)) {
    for (const mapping of mappings) {
      if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping)) continue;
      if (mapping.protocol === "tcp") delete mapping.protocol;
      // awsvpc and host: the host port is the container port; bridge: 0 picks an ephemeral port.
      if (mapping.hostPort === 0) delete mapping.hostPort;
      if (
        (networkMode === "awsvpc" || networkMode === "host") &&
        mapping.hostPort !== undefined &&
        mapping.hostPort === mapping.containerPort
      )
        delete mapping.hostPort;
    }
  }
}

/** Drops what carries nothing (absent, null, empty lists and objects), depth first. */
function pruned(value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    const items = value.map(pruned).filter((item): item is Json => item !== undefined);
    return items.length === 0 ? undefined : items;
  }
  if (typeof value === "object") {
    const out: Record<string, Json> = {};
    for (const key of Object.keys(value as object).sort()) {
      const child = pruned((value as Record<string, unknown>)[key]);
      if (child !== undefined) out[key] = child;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value as Json;
}

/**
 * A register input with what ECS fills in by default set aside, so that a revision registered from it and
 * described again compares equal to it: empty lists and objects as absent, `essential: true`, `cpu: 0`,
 * `protocol: "tcp"`, the host port ECS derives, tags in key order. Nothing else is touched: a difference in
 * anything that changes what runs (images, roles, privileges, volumes, ...) stays a difference.
 */
export function normalizedRegisterInput(input: RegisterTaskDefinitionCommandInput): Json {
  const copy = pruned(input);
  if (typeof copy !== "object" || copy === null || Array.isArray(copy)) return copy ?? {};
  const containers = copy.containerDefinitions;
  if (Array.isArray(containers)) {
    for (const container of containers) {
      if (typeof container === "object" && container !== null && !Array.isArray(container))
        normalizeContainer(container, copy.networkMode);
    }
  }
  const tags = copy.tags;
  if (Array.isArray(tags)) {
    tags.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  }
  return pruned(copy) ?? {};
}

/** Where two JSON values differ, as paths (`containerDefinitions[0].image`), at most `limit` of them. */
function differences(expected: Json | undefined, actual: Json | undefined, path: string, out: string[]) {
  if (JSON.stringify(expected) === JSON.stringify(actual)) return;
  const bothArrays = Array.isArray(expected) && Array.isArray(actual);
  const bothObjects =
    typeof expected === "object" &&
    typeof actual === "object" &&
    expected !== null &&
    actual !== null &&
    !Array.isArray(expected) &&
    !Array.isArray(actual);
  if (bothArrays && expected.length === actual.length) {
    expected.forEach((item, index) => {
      differences(item, actual[index], `${path}[${index}]`, out);
    });
    return;
  }
  if (bothObjects) {
    const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])].sort();
    for (const key of keys) differences(expected[key], actual[key], path ? `${path}.${key}` : key, out);
    return;
  }
  out.push(path || "(the whole definition)");
}

/**
 * The paths at which `actual` differs from `expected` after normalising both; empty when they are the same
 * definition.
 */
export function registerInputDifferences(
  expected: RegisterTaskDefinitionCommandInput,
  actual: RegisterTaskDefinitionCommandInput,
): string[] {
  const out: string[] = [];
  differences(normalizedRegisterInput(expected), normalizedRegisterInput(actual), "", out);
  return out;
}
