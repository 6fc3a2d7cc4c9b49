import { moveCommand } from "../../../../cli/shared/fixPlan";
import type { WorkItem } from "../../../../lambda/remediation/index";

const target = { region: "eu-west-1", profile: undefined };
const REPLACEMENT = "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:4";

function service(deploymentController: WorkItem["deploymentController"]): WorkItem {
  return {
    revision: "web:3",
    revisionArn: "arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3",
    target: { kind: "service", cluster: "prod", service: "web" },
    runningTasks: 2,
    deploymentController,
    loadBalancerContainer: { name: "app", port: 8080 },
    exposure: { status: "not-exposed" },
    production: { status: "production", evidence: "cluster" },
  };
}

describe("the command that moves each kind of target", () => {
  it("moves an ECS-deployed service with update-service", () => {
    expect(moveCommand(service("ECS"), target)).toBe(
      'aws ecs update-service --region eu-west-1 --cluster prod --service web --task-definition "$NEW_WEB_3"',
    );
  });

  it("moves a CODE_DEPLOY service with a CodeDeploy deployment whose AppSpec names the replacement, with placeholders for what ECS does not name", () => {
    const command = moveCommand(service("CODE_DEPLOY"), target, REPLACEMENT);
    expect(command).toMatch(
      /^aws deploy create-deployment --region eu-west-1 --application-name '<APPLICATION>' --deployment-group-name '<DEPLOYMENT_GROUP>' --revision '/,
    );
    const revision = JSON.parse(command.slice(command.indexOf("--revision '") + 12, -1));
    expect(revision.revisionType).toBe("AppSpecContent");
    expect(JSON.parse(revision.appSpecContent.content)).toEqual({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: {
              TaskDefinition: REPLACEMENT,
              LoadBalancerInfo: { ContainerName: "app", ContainerPort: 8080 },
            },
          },
        },
      ],
    });
    expect(command).not.toContain("update-service");
  });

  it("leaves the registered ARN to the shell in a CODE_DEPLOY command of the fix plan", () => {
    const command = moveCommand(service("CODE_DEPLOY"), target);
    expect(command).toContain('\\"TaskDefinition\\\\\\":\\\\\\"$NEW_WEB_3\\\\\\"');
  });

  it("moves an EXTERNAL service with a new task set", () => {
    expect(moveCommand(service("EXTERNAL"), target, REPLACEMENT)).toBe(
      `aws ecs create-task-set --region eu-west-1 --cluster prod --service web --task-definition ${REPLACEMENT}`,
    );
  });

  it("starts standalone tasks' replacement as they were started: count, capacity provider or launch type, network", () => {
    const standalone: WorkItem = {
      ...service(undefined),
      target: { kind: "standalone", cluster: "batch" },
      launch: {
        launchType: "FARGATE",
        group: "nightly",
        network: { subnets: ["subnet-1", "subnet-2"], securityGroups: ["sg-1"], assignPublicIp: "DISABLED" },
      },
    };
    expect(moveCommand(standalone, target, REPLACEMENT)).toBe(
      `aws ecs run-task --region eu-west-1 --cluster batch --task-definition ${REPLACEMENT} --count 2 --launch-type FARGATE --network-configuration 'awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=DISABLED}' --group nightly`,
    );
    const onCapacityProvider: WorkItem = { ...standalone, launch: { capacityProvider: "spot" } };
    expect(moveCommand(onCapacityProvider, target, REPLACEMENT)).toBe(
      `aws ecs run-task --region eu-west-1 --cluster batch --task-definition ${REPLACEMENT} --count 2 --capacity-provider-strategy capacityProvider=spot`,
    );
  });
});
