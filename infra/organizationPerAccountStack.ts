import * as path from "node:path";
import {
  AssetHashType,
  Aws,
  CfnOutput,
  type CfnResource,
  CfnStackSet,
  DockerImage,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
} from "aws-cdk-lib";
import { CfnOrganizationConformancePack, type MaximumExecutionFrequency } from "aws-cdk-lib/aws-config";
import { AnyPrincipal, PolicyStatement } from "aws-cdk-lib/aws-iam";
import { BlockPublicAccess, Bucket, BucketEncryption } from "aws-cdk-lib/aws-s3";
import { BucketDeployment, Source } from "aws-cdk-lib/aws-s3-deployment";
import type { Construct, IConstruct } from "constructs";
import { stringify } from "yaml";
import { ACCOUNT_ID_PATTERN, FREQUENCY_SECONDS } from "../lambda/core/index";
import { ruleEsbuildOptions } from "./bundling";
import { MEMBER_STACK_SET_DEPLOYMENT } from "./memberRoleStackSet";
import {
  CODE_BUCKET_PREFIX_PARAMETER,
  CODE_KEY_PARAMETER,
  MEMBER_FUNCTION_NAME,
  type MemberRuleSettings,
  memberRuleTemplateBody,
} from "./memberRuleStack";
import { memberCoverage } from "./organizationCoverage";
import { organizationPack } from "./organizationStack";
import { packageRoot } from "./packageRoot";
import { conformancePackTemplate, FUNCTION_ARN_PARAMETER, scopeResourceTypes } from "./ruleDefinition";
import { acknowledge, requireAll } from "./validation";

export interface OrganizationPerAccountStackProps extends StackProps, MemberRuleSettings {
  /**
   * Which accounts the rollout covers (see `OrganizationStackProps.organizationalUnitIds`): the root alone, or
   * OUs with `excludedAccounts` listing every account outside them.
   */
  readonly organizationalUnitIds: readonly string[];
  /**
   * Accounts neither the pack nor the StackSet reaches (at most 1,000).
   * @default - none
   */
  readonly excludedAccounts?: readonly string[];
  /**
   * The organization's id (`o-...`): only its principals may read the function's code.
   */
  readonly organizationId: string;
  /**
   * The member accounts, if listed: checked (12 digits, none twice, none excluded) but not needed, since no
   * account invokes another's function.
   * @default - not listed
   */
  readonly memberAccountIds?: readonly string[];
  /**
   * `SELF` in the management account, `DELEGATED_ADMIN` in a delegated StackSets administrator account.
   * @default "SELF"
   */
  readonly stackSetCallAs?: "SELF" | "DELEGATED_ADMIN";
  /**
   * The Config rule's name in the pack, at most 101 characters.
   * @default "ecs-in-use-task-definition-pid-mode-check"
   */
  readonly ruleName?: string;
  /**
   * How often the periodic sweep runs.
   * @default MaximumExecutionFrequency.SIX_HOURS
   */
  readonly maximumExecutionFrequency?: MaximumExecutionFrequency;
  /**
   * Whether the rule's scope includes `AWS::ECS::Service`.
   * @default true
   */
  readonly evaluateServices?: boolean;
  /**
   * The organization conformance pack's name, at most 116 characters.
   * @default "ecs-in-use-pid-mode"
   */
  readonly conformancePackName?: string;
}

const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** Appended to the pack name to name this shape's StackSet. */
export const MEMBER_RULE_STACK_SET_SUFFIX = "-member-rule";
/** Each Region's code bucket: `<prefix>-<Region>`, the prefix naming the administrator account. */
const CODE_BUCKET_PREFIX = `ecs-pid-mode-code-${Aws.ACCOUNT_ID}`;

/**
 * The per-account organization shape, for organizations past one invoke policy (1,335 members) or that want no
 * cross-account roles. In each Region it is deployed to: a code bucket only the organization can read, holding
 * the function's bundle; a service-managed StackSet (automatic deployment) that puts the rule function in every
 * covered account in this Region (`MemberRuleStack`); and an organization conformance pack whose rule names,
 * in each account, that account's own function. No cross-account invocation, no member role.
 */
export class OrganizationPerAccountStack extends Stack {
  readonly codeBucket: Bucket;
  readonly stackSet: CfnStackSet;
  readonly conformancePack: CfnOrganizationConformancePack;

  constructor(scope: Construct, id: string, props: OrganizationPerAccountStackProps) {
    super(scope, id, {
      description:
        "AWS Config rule for a whole organization, one function per account: ECS revisions used by RUNNING tasks must not use pidMode host",
      ...props,
    });
    const coverage = memberCoverage(props.organizationalUnitIds, props.excludedAccounts ?? []);
    if (!ORGANIZATION_ID.test(props.organizationId ?? "")) {
      throw new Error(
        `organizationId must be an organization id (o- and 10-32 of a-z0-9), got "${props.organizationId}"`,
      );
    }
    this.checkMembers(props.memberAccountIds, coverage.excludedAccounts);
    const { ruleName, frequency, packName } = organizationPack(props);

    this.codeBucket = new Bucket(this, "Code", {
      bucketName: `${CODE_BUCKET_PREFIX}-${Aws.REGION}`,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // Lambda reads the bundle with the permissions of whoever creates the function: in a member account, the
    // StackSet's execution role. Only principals of this organization may read it.
    this.codeBucket.addToResourcePolicy(
      new PolicyStatement({
        sid: "OrganizationReadsRuleCode",
        principals: [new AnyPrincipal()],
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [this.codeBucket.arnForObjects("*")],
        conditions: { StringEquals: { "aws:PrincipalOrgID": props.organizationId } },
      }),
    );
    const code = new BucketDeployment(this, "CodeDeployment", {
      sources: [ruleBundleSource()],
      destinationBucket: this.codeBucket,
      extract: false,
      prune: false,
      retainOnDelete: true,
    });
    const codeKey = Fn.select(0, code.objectKeys);

    this.stackSet = new CfnStackSet(this, "MemberRules", {
      stackSetName: `${packName}${MEMBER_RULE_STACK_SET_SUFFIX}`,
      description: "The ECS in-use pidMode rule function in each member account (per-account shape)",
      ...MEMBER_STACK_SET_DEPLOYMENT,
      callAs: props.stackSetCallAs ?? "SELF",
      capabilities: ["CAPABILITY_IAM"],
      // One StackSet per Region, deploying to its own Region: each Region's functions read that Region's bucket.
      stackInstancesGroup: [{ deploymentTargets: coverage.stackSetTargets, regions: [Aws.REGION] }],
      parameters: [
        { parameterKey: CODE_BUCKET_PREFIX_PARAMETER, parameterValue: CODE_BUCKET_PREFIX },
        { parameterKey: CODE_KEY_PARAMETER, parameterValue: codeKey },
      ],
      templateBody: memberRuleTemplateBody({ ...props, sweepFrequencySeconds: FREQUENCY_SECONDS[frequency] }),
    });
    this.stackSet.node.addDependency(code);

    this.conformancePack = new CfnOrganizationConformancePack(this, "Pack", {
      organizationConformancePackName: packName,
      templateBody: perAccountPackYaml(ruleName, props.evaluateServices ?? true, frequency),
      excludedAccounts: coverage.excludedAccounts.length > 0 ? [...coverage.excludedAccounts] : undefined,
    });
    // Config checks the invoke permission when it creates the rule: the functions first.
    this.conformancePack.addResourceDependency(this.stackSet);

    acknowledge(
      this.codeBucket.node.defaultChild as IConstruct,
      ["AwsSolutions-S1"],
      "The bucket holds only the rule's code bundle, written by this stack's deployment; CloudTrail data events, not access logs, are the place to audit reads.",
    );
    this.acknowledgeBucketDeploymentHandler();
    new CfnOutput(this, "ConformancePackName", { value: packName });
    new CfnOutput(this, "MemberRuleStackSetName", { value: this.stackSet.stackSetName as string });
    new CfnOutput(this, "CodeBucketName", { value: this.codeBucket.bucketName });
  }

  /**
   * The CDK's own BucketDeployment handler (a singleton the CDK names): it copies the bundle from the CDK asset
   * bucket to the code bucket once per deployment. Its role and runtime are the CDK's; acknowledged on exactly
   * its resources.
   */
  private acknowledgeBucketDeploymentHandler(): void {
    const handler = this.node.children.find((child) =>
      child.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (handler === undefined) throw new Error("the CDK's bucket-deployment handler was not found");
    const reason =
      "The CDK's BucketDeployment handler: it reads the CDK asset bucket and writes only the code bucket, with " +
      "the role, wildcards, managed basic-execution policy and runtime the CDK gives it.";
    const at = (path: string) =>
      handler.node.findChild(path).node.defaultChild ?? handler.node.findChild(path);
    acknowledge(handler.node.defaultChild as IConstruct, ["AwsSolutions-L1"], reason);
    acknowledge(
      at("ServiceRole"),
      [
        "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]",
      ],
      reason,
    );
    acknowledge(
      handler.node.findChild("ServiceRole").node.findChild("DefaultPolicy").node.defaultChild as IConstruct,
      [
        "AwsSolutions-IAM5[Action::s3:GetObject*]",
        "AwsSolutions-IAM5[Action::s3:GetBucket*]",
        "AwsSolutions-IAM5[Action::s3:List*]",
        "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
        "AwsSolutions-IAM5[Action::s3:Abort*]",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*]",
        `AwsSolutions-IAM5[Resource::<${this.getLogicalId(this.codeBucket.node.defaultChild as CfnResource)}.Arn>/*]`,
      ],
      reason,
    );
  }

  private checkMembers(members: readonly string[] | undefined, excluded: readonly string[]): void {
    if (members === undefined) return;
    requireAll("memberAccountIds", members, ACCOUNT_ID_PATTERN, "12-digit account ids");
    const seen = new Set<string>();
    const twice = members.filter((member) => seen.has(member) || !seen.add(member));
    if (twice.length > 0)
      throw new Error(`memberAccountIds lists ${[...new Set(twice)].join(", ")} more than once`);
    const both = members.filter((member) => excluded.includes(member));
    if (both.length > 0) {
      throw new Error(`memberAccountIds lists ${both.join(", ")}, which excludedAccounts excludes`);
    }
  }
}

/**
 * The account pack's template with the rule pointing at each account's own function: `SourceIdentifier` is an
 * `Fn::Sub` of `AWS::AccountId`. That a pack template resolves it in each member account is not documented
 * (docs/organizations.md, "The per-account shape": the fallback is one account pack per account through the same
 * StackSet).
 */
export function perAccountPackTemplate(
  ruleName: string,
  evaluateServices: boolean,
  frequency: MaximumExecutionFrequency,
): Record<string, unknown> {
  const template = structuredClone(
    conformancePackTemplate({ ruleName, resourceTypes: scopeResourceTypes(evaluateServices), frequency }),
  ) as {
    Parameters: Record<string, unknown>;
    Resources: Record<string, { Type: string; Properties: { Source: { SourceIdentifier: unknown } } }>;
  };
  delete template.Parameters[FUNCTION_ARN_PARAMETER];
  const rules = Object.values(template.Resources).filter(
    (resource) => resource.Type === "AWS::Config::ConfigRule",
  );
  if (rules.length !== 1) throw new Error(`the pack template holds ${rules.length} rules, not one`);
  for (const rule of rules) {
    rule.Properties.Source.SourceIdentifier = {
      "Fn::Sub": `arn:\${AWS::Partition}:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${MEMBER_FUNCTION_NAME}`,
    };
  }
  return template;
}

function perAccountPackYaml(
  ruleName: string,
  evaluateServices: boolean,
  frequency: MaximumExecutionFrequency,
) {
  return stringify(perAccountPackTemplate(ruleName, evaluateServices, frequency));
}

/**
 * The rule's bundle as a zip asset, built by esbuild locally with the deployed function's options (no Docker
 * on these machines): `index.js` exporting `handler`, and its source map.
 */
function ruleBundleSource() {
  const lambdaDirectory = path.join(packageRoot(), "lambda");
  return Source.asset(lambdaDirectory, {
    // The bundle's own bytes: a new SDK version changes the code without changing lambda/.
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry("local-esbuild-only"),
      local: {
        tryBundle(outputDir: string): boolean {
          // Loaded only when this shape is synthesized: esbuild is what NodejsFunction needs too.
          const esbuild = require("esbuild") as typeof import("esbuild");
          esbuild.buildSync(ruleEsbuildOptions(path.join(outputDir, "index.js")));
          return true;
        },
      },
    },
  });
}
