import {
  type DescribeTaskDefinitionCommandOutput,
  RegisterTaskDefinitionRequest$,
  type TaskDefinition,
  TaskDefinition$,
} from "@aws-sdk/client-ecs";
import {
  normalizedRegisterInput,
  OUTPUT_ONLY_MEMBERS,
  REGISTER_MEMBERS,
  registerInputDifferences,
  registerInputOf,
} from "../../../../../lambda/remediation/core/registerInput";
import described from "../../../../fixtures/ecs/describe-task-definition-inactive-host-pid.json";

const response = described as unknown as DescribeTaskDefinitionCommandOutput;
const definition = response.taskDefinition as TaskDefinition;

/** The member names of a structure in the SDK's own schema (`[3, namespace, name, traits, members, ...]`). */
function schemaMembers(schema: unknown): string[] {
  const members = (schema as unknown[])[4];
  if (!Array.isArray(members)) throw new Error("the SDK's schema changed shape: no member list");
  return [...(members as string[])].sort();
}

describe("the register input of a described revision", () => {
  it("lists exactly the SDK schema's RegisterTaskDefinition members", () => {
    expect(Object.keys(REGISTER_MEMBERS).sort()).toEqual(schemaMembers(RegisterTaskDefinitionRequest$));
  });

  it("lists as output-only exactly the TaskDefinition members RegisterTaskDefinition does not take, deleteRequestedAt among them", () => {
    const register = new Set(schemaMembers(RegisterTaskDefinitionRequest$));
    const outputOnly = schemaMembers(TaskDefinition$).filter((member) => !register.has(member));
    expect(Object.keys(OUTPUT_ONLY_MEMBERS).sort()).toEqual(outputOnly);
    expect(outputOnly).toContain("deleteRequestedAt");
  });

  it("drops every output-only member, deleteRequestedAt included, and keeps the rest as described", () => {
    const input = registerInputOf(
      { ...definition, deleteRequestedAt: new Date("2026-11-01T00:00:00Z") },
      response.tags,
    );
    for (const member of Object.keys(OUTPUT_ONLY_MEMBERS)) expect(input).not.toHaveProperty(member);
    expect(input).toMatchObject({
      family: "log-shipper",
      pidMode: "host",
      taskRoleArn: "arn:aws:iam::111122223333:role/log-shipper-task",
      tags: response.tags,
    });
  });

  it("refuses a member it does not know, naming it, rather than guess whether a replacement needs it", () => {
    const odd = { ...definition, hostileExtra: true } as unknown as TaskDefinition;
    expect(() => registerInputOf(odd, [])).toThrow('unknown task definition member "hostileExtra"');
  });
});

describe("comparing register inputs", () => {
  const input = registerInputOf(definition, response.tags);

  it("finds no difference between an input and what ECS describes after registering it (defaults filled in)", () => {
    const [container] = input.containerDefinitions ?? [];
    const sparse = {
      ...input,
      placementConstraints: undefined,
      containerDefinitions: [
        {
          ...container,
          name: container?.name,
          essential: undefined,
          portMappings: [],
          volumesFrom: undefined,
          systemControls: undefined,
        },
      ],
      tags: [...(input.tags ?? [])].reverse(),
    };
    expect(registerInputDifferences(sparse, input)).toEqual([]);
  });

  it("treats ECS's filled-in port defaults as given: tcp, and the container port as host port in awsvpc", () => {
    const awsvpc = {
      family: "web",
      networkMode: "awsvpc" as const,
      containerDefinitions: [{ name: "app", image: "x", portMappings: [{ containerPort: 8080 }] }],
    };
    const filled = {
      ...awsvpc,
      containerDefinitions: [
        {
          name: "app",
          image: "x",
          cpu: 0,
          essential: true,
          portMappings: [{ containerPort: 8080, hostPort: 8080, protocol: "tcp" as const }],
        },
      ],
    };
    expect(registerInputDifferences(awsvpc, filled)).toEqual([]);
  });

  it("names each path that changes what runs: an image, a privilege, a role, a volume", () => {
    const [container] = input.containerDefinitions ?? [];
    const planted = {
      ...input,
      taskRoleArn: "arn:aws:iam::111122223333:role/admin",
      containerDefinitions: [{ ...container, name: "fluent-bit", image: "evil/miner:1", privileged: true }],
      volumes: [{ name: "root", host: { sourcePath: "/" } }],
    };
    expect(registerInputDifferences(input, planted)).toEqual([
      "containerDefinitions[0].image",
      "containerDefinitions[0].privileged",
      "taskRoleArn",
      "volumes[0].host.sourcePath",
      "volumes[0].name",
    ]);
  });

  it("does not take essential: false or a host port in bridge mode for a default", () => {
    const base = { family: "web", containerDefinitions: [{ name: "app", image: "x" }] };
    expect(
      registerInputDifferences(base, {
        ...base,
        containerDefinitions: [{ name: "app", image: "x", essential: false }],
      }),
    ).toEqual(["containerDefinitions[0].essential"]);
    const bridge = {
      family: "web",
      networkMode: "bridge" as const,
      containerDefinitions: [{ name: "app", portMappings: [{ containerPort: 80 }] }],
    };
    expect(
      registerInputDifferences(bridge, {
        ...bridge,
        containerDefinitions: [{ name: "app", portMappings: [{ containerPort: 80, hostPort: 80 }] }],
      }),
    ).toEqual(["containerDefinitions[0].portMappings[0].hostPort"]);
  });

  it("keeps the order of containers and of their environment, which ECS keeps too", () => {
    expect(
      normalizedRegisterInput({
        family: "web",
        containerDefinitions: [{ name: "b" }, { name: "a" }],
      }),
    ).toEqual({ family: "web", containerDefinitions: [{ name: "b" }, { name: "a" }] });
  });
});
