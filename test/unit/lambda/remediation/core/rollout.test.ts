import { rolloutOutcome, type ServiceRollout } from "../../../../../lambda/remediation/core/rollout";

const NEW = "arn:aws:ecs:us-east-1:111122223333:task-definition/web:2";
const OLD = "arn:aws:ecs:us-east-1:111122223333:task-definition/web:1";

describe("the outcome of a deployment", () => {
  it.each<[string, ServiceRollout, string]>([
    [
      "COMPLETED",
      {
        taskDefinition: NEW,
        deployments: [{ status: "PRIMARY", taskDefinition: NEW, rolloutState: "COMPLETED" }],
      },
      "completed",
    ],
    [
      "IN_PROGRESS beside the old one",
      {
        taskDefinition: NEW,
        deployments: [
          {
            status: "PRIMARY",
            taskDefinition: NEW,
            rolloutState: "IN_PROGRESS",
            desiredCount: 2,
            runningCount: 1,
          },
          { status: "ACTIVE", taskDefinition: OLD, rolloutState: "COMPLETED" },
        ],
      },
      "in-progress",
    ],
    [
      "FAILED",
      {
        taskDefinition: NEW,
        deployments: [
          {
            status: "PRIMARY",
            taskDefinition: NEW,
            rolloutState: "FAILED",
            rolloutStateReason: "ECS deployment circuit breaker: tasks failed to start.",
          },
        ],
      },
      "failed",
    ],
    [
      "rolled back by the circuit breaker",
      {
        taskDefinition: OLD,
        deployments: [
          { status: "PRIMARY", taskDefinition: OLD, rolloutState: "IN_PROGRESS" },
          { status: "ACTIVE", taskDefinition: NEW, rolloutState: "FAILED" },
        ],
      },
      "failed",
    ],
    [
      "replaced by someone's other deployment",
      {
        taskDefinition: OLD,
        deployments: [
          { status: "PRIMARY", taskDefinition: OLD },
          { status: "ACTIVE", taskDefinition: NEW, rolloutState: "IN_PROGRESS" },
        ],
      },
      "rolled-back",
    ],
    [
      "moved elsewhere before a deployment of ours showed",
      { taskDefinition: OLD, deployments: [{ status: "PRIMARY", taskDefinition: OLD }] },
      "rolled-back",
    ],
    [
      "not started yet",
      {
        taskDefinition: NEW,
        deployments: [{ status: "PRIMARY", taskDefinition: OLD, rolloutState: "IN_PROGRESS" }],
      },
      "in-progress",
    ],
    [
      "without rolloutState, alone and at its count",
      {
        taskDefinition: NEW,
        deployments: [{ status: "PRIMARY", taskDefinition: NEW, desiredCount: 2, runningCount: 2 }],
      },
      "completed",
    ],
    [
      "without rolloutState, still short of its count",
      {
        taskDefinition: NEW,
        deployments: [{ status: "PRIMARY", taskDefinition: NEW, desiredCount: 2, runningCount: 1 }],
      },
      "in-progress",
    ],
  ])("%s", (_, service, state) => {
    expect(rolloutOutcome(service, NEW).state).toBe(state);
  });

  it("gives ECS's reason for a failed deployment", () => {
    const outcome = rolloutOutcome(
      {
        taskDefinition: NEW,
        deployments: [
          {
            status: "PRIMARY",
            taskDefinition: NEW,
            rolloutState: "FAILED",
            rolloutStateReason: "tasks failed to start",
          },
        ],
      },
      NEW,
    );
    expect(outcome).toEqual({ state: "failed", why: "tasks failed to start" });
  });
});
