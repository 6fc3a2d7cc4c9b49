import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, CfnParameter, DefaultStackSynthesizer, Fn, Stack, type StackProps } from "aws-cdk-lib";
import { AccountPrincipal, PolicyDocument, Role } from "aws-cdk-lib/aws-iam";
import type { Construct, IConstruct } from "constructs";
import { configStatements, ecsReadStatements } from "./rulePermissions";
import { acknowledge, WILDCARD_REASON } from "./validation";

export const DEFAULT_EXECUTION_ROLE_NAME = "EcsPidModeRuleExecution";

/**
 * The role the central function assumes in a member account (`ExecutionRoleName`): trusted only by the
 * function's role(s) in the rule account, allowed only the ECS reads and Config calls the rule makes, in every
 * Region (IAM is global, the pack may cover any Region). The organization stack's StackSet deploys this
 * template to every member account; the management account, which service-managed StackSets skip, can deploy
 * this stack directly.
 */
export class MemberRoleStack extends Stack {
  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, {
      description: "Role that the central ECS in-use pidMode Config rule function assumes in this account",
      // The same template goes into a StackSet: no bootstrap version check, no CDK metadata resource.
      synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }),
      analyticsReporting: false,
      ...props,
    });
    const roleName = new CfnParameter(this, "ExecutionRoleName", {
      default: DEFAULT_EXECUTION_ROLE_NAME,
      allowedPattern: "[\\w+=,.@-]{1,64}",
      description: "Name of this role; the rule's ExecutionRoleName parameter",
    });
    const ruleAccountId = new CfnParameter(this, "RuleAccountId", {
      allowedPattern: "\\d{12}",
      description: "The account that runs the rule's function (management or delegated administrator)",
    });
    const trustedRoleArns = new CfnParameter(this, "TrustedFunctionRoleArns", {
      type: "CommaDelimitedList",
      description:
        "ARNs of the function roles (one per Region the function runs in) allowed to assume this role",
    });

    const everyRegionOfThisAccount = { region: "*", account: this.account };
    const role = new Role(this, "ExecutionRole", {
      roleName: roleName.valueAsString,
      description: "Assumed by the ECS in-use pidMode Config rule function of the rule account",
      assumedBy: new AccountPrincipal(ruleAccountId.valueAsString).withConditions({
        ArnEquals: { "aws:PrincipalArn": trustedRoleArns.valueAsList },
      }),
      inlinePolicies: {
        Rule: new PolicyDocument({
          statements: [
            ...ecsReadStatements(everyRegionOfThisAccount),
            ...configStatements(everyRegionOfThisAccount),
          ],
        }),
      },
    });
    // On the role resource itself: a policy attached to the role later is a resource of its own, and reported.
    acknowledge(
      role.node.defaultChild as IConstruct,
      [
        "AwsSolutions-IAM5[Resource::*]",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:*:<AWS::AccountId>:task/*]",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:ecs:*:<AWS::AccountId>:service/*]",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:config:*:<AWS::AccountId>:config-rule/*]",
      ],
      `${WILDCARD_REASON} Regions are * because one global role serves every Region the pack covers; task, service ` +
        "and Config rule ARNs end in * because the rule reads every task and service and its own rule's verdicts, whose id Config assigns.",
    );
  }
}

/** The member role template as JSON, for the StackSet: synthesized from `MemberRoleStack` itself. */
export function memberRoleTemplateBody(): string {
  // Its own output directory: under the CDK CLI the outer app's directory would receive this synthesis too.
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "member-role-")) });
  const stack = new MemberRoleStack(app, "MemberRole");
  return JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template);
}

/** The function role ARNs a member role trusts, as the StackSet parameter value. */
export function joinRoleArns(arns: readonly string[]): string {
  return Fn.join(",", [...arns]);
}
