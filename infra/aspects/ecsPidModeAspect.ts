import { Annotations, CfnResource, type IAspect, Stack, Token } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import {
  ACCOUNT_ID_PATTERN,
  type ApprovedException,
  DEFAULT_MAX_EXCEPTION_DAYS,
  type DefinitionKind,
  type ExceptionEntry,
  type ExceptionReview,
  exceptionTarget,
  invalidEntryLines,
  reviewExceptions,
} from "../../lambda/core/index";
import { warnAboutLapsing } from "../approvedExceptions";
import { judgePidMode } from "./pidModeJudgement";
import { PID_MODE_KINDS } from "./pidModeKinds";

export interface EcsPidModeAspectProps {
  /**
   * The approved exceptions: the same JSON array the rule reads. Only family-level entries can match at synth.
   * @default - none: every task definition that shares the host's process namespace is reported
   */
  readonly exceptions?: readonly ExceptionEntry[];
  /** The instant exceptions are judged at. @default the time the Aspect is constructed */
  readonly now?: Date;
  /**
   * How many days from `now` an exception's `expires` date may be at most; a later one is refused, as the
   * rule's synth check and the scanner refuse it.
   * @default 365
   */
  readonly maxExceptionDays?: number;
  /**
   * The account exceptions with `accountIds` are matched against when a stack has no literal account
   * (environment-agnostic). @default none: such exceptions do not apply to environment-agnostic stacks
   */
  readonly accountId?: string;
  /** How to request an exception, appended to every finding. @default how to add an entry to the exceptions list */
  readonly exceptionRequestHint?: string;
}

/** Metadata key recording which exception exempted a resource, for whoever reviews the template. */
export const EXCEPTION_METADATA_KEY = "EcsPidModeException";

function defaultRequestHint(family: string | undefined, kind: DefinitionKind = "task"): string {
  const entry = {
    [kind === "daemon" ? "daemonTaskDefinition" : "taskDefinition"]: family ?? "<family>",
    owner: "<team>",
    expires: "YYYY-MM-DD",
    reason: "<why>",
  };
  return `To request an exception, add ${JSON.stringify(entry)} to the approved exceptions list, have it approved, and pass the list to EcsPidModeAspect.`;
}

interface RenderedResource {
  readonly Properties?: Record<string, unknown>;
}

/**
 * The properties CloudFormation will receive, escape-hatch overrides included (the L1 getters do not show
 * those), with every token resolved that can be at synth.
 */
function renderedProperties(resource: CfnResource): Record<string, unknown> {
  const fragment = Stack.of(resource).resolve(resource._toCloudFormation()) as {
    Resources: Record<string, RenderedResource>;
  };
  return Object.values(fragment.Resources)[0]?.Properties ?? {};
}

function literalAccount(resource: CfnResource, fallback: string | undefined): string | undefined {
  const { account } = Stack.of(resource);
  return Token.isUnresolved(account) ? fallback : account;
}

/**
 * Tells Guard (guard/ecs-pid-mode.guard) to skip the resource in the rule for its type, keeping any rules
 * already suppressed.
 */
function suppressGuardRule(resource: CfnResource, ruleName: string, exception: ApprovedException): void {
  const guard: unknown = resource.getMetadata("guard");
  const existing = typeof guard === "object" && guard !== null ? (guard as Record<string, unknown>) : {};
  const suppressed = Array.isArray(existing.SuppressedRules) ? existing.SuppressedRules : [];
  resource.addMetadata("guard", {
    ...existing,
    SuppressedRules: suppressed.includes(ruleName) ? suppressed : [...suppressed, ruleName],
  });
  resource.addMetadata(EXCEPTION_METADATA_KEY, {
    target: exceptionTarget(exception),
    owner: exception.owner,
    expires: exception.expires,
  });
}

/**
 * Fails synthesis for every AWS::ECS::TaskDefinition (L1, L2, or a raw CfnResource) whose PidMode is not
 * absent or "task", and every AWS::ECS::DaemonTaskDefinition (L1 or a raw CfnResource) whose PidMode is not
 * absent or "none", unless an approved, unexpired, family-level exception covers it. A value that cannot be
 * resolved at synth is a warning. Exempted resources are marked so the Guard rule for their type skips them too.
 */
export class EcsPidModeAspect implements IAspect {
  private readonly exceptions: readonly ApprovedException[];
  private readonly review: ExceptionReview;
  private readonly now: Date;
  private readonly accountId: string | undefined;
  private readonly requestHint: (family: string | undefined) => string;

  constructor(props: EcsPidModeAspectProps = {}) {
    const maxDurationDays = props.maxExceptionDays ?? DEFAULT_MAX_EXCEPTION_DAYS;
    if (!Number.isInteger(maxDurationDays) || maxDurationDays < 1)
      throw new Error(
        `EcsPidModeAspect: maxExceptionDays must be a whole number of at least 1, got ${maxDurationDays}`,
      );
    this.now = props.now ?? new Date();
    const entries = props.exceptions ?? [];
    this.review = reviewExceptions(entries, { now: this.now, maxDurationDays });
    if (this.review.invalid.length > 0) {
      throw new Error(
        `EcsPidModeAspect: invalid exceptions\n${invalidEntryLines(this.review, entries).join("\n")}`,
      );
    }
    if (props.accountId !== undefined && !ACCOUNT_ID_PATTERN.test(props.accountId)) {
      throw new Error(`EcsPidModeAspect: accountId must be a 12-digit account id, got "${props.accountId}"`);
    }
    this.exceptions = this.review.approved;
    this.accountId = props.accountId;
    const { exceptionRequestHint } = props;
    this.requestHint = exceptionRequestHint === undefined ? defaultRequestHint : () => exceptionRequestHint;
  }

  visit(node: IConstruct): void {
    // Lapsed and lapsing entries, once on every stack the Aspect reaches, as the rule's synth check warns.
    if (Stack.isStack(node)) warnAboutLapsing(node, this.review, this.now);
    if (!CfnResource.isCfnResource(node)) return;
    const kind = PID_MODE_KINDS.get(node.cfnResourceType);
    if (kind === undefined) return;
    const properties = renderedProperties(node);
    const finding = judgePidMode(
      {
        kind,
        path: node.node.path,
        pidMode: properties.PidMode,
        family: properties.Family,
        accountId: literalAccount(node, this.accountId),
      },
      { exceptions: this.exceptions, now: this.now, requestHint: this.requestHint },
    );
    const annotations = Annotations.of(node);
    switch (finding.outcome) {
      case "pass":
        return;
      case "error":
        annotations.addError(finding.message);
        return;
      case "warning":
        annotations.addWarningV2("ecs-pid-mode:UnresolvedPidMode", finding.message);
        return;
      case "exempt":
        suppressGuardRule(node, kind.guardRuleName, finding.exception);
        annotations.addInfo(finding.message);
        if (finding.expiresSoon) {
          annotations.addWarningV2(
            "ecs-pid-mode:ExceptionExpiringSoon",
            `${node.node.path}: the exception for family "${finding.exception.target.family}" ends after ${finding.exception.expires}; renew it or fix the ${kind.noun} before then.`,
          );
        }
    }
  }
}
