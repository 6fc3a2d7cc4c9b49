import {
  type ApprovedException,
  type DefinitionKind,
  expiringSoon,
  matchException,
} from "../../lambda/core/index";
import type { PidModeKind } from "./pidModeKinds";

/**
 * What a rendered AWS::ECS::TaskDefinition or AWS::ECS::DaemonTaskDefinition says: values as CloudFormation
 * would receive them.
 */
export interface RenderedDefinition {
  /** Which of the two it is: what shares the host's namespace, what does not, and how to name it. */
  readonly kind: PidModeKind;
  /** The construct path, named in every message. */
  readonly path: string;
  /** `undefined` when absent, a string when literal, anything else (an intrinsic) when synth cannot know it. */
  readonly pidMode: unknown;
  readonly family: unknown;
  /** The account the stack deploys to, when it is known at synth. */
  readonly accountId: string | undefined;
}

export interface JudgementContext {
  readonly exceptions: readonly ApprovedException[];
  readonly now: Date;
  /** How a team asks for an exception for a family (when it is known); appended to every finding. */
  readonly requestHint: (family: string | undefined, kind: DefinitionKind) => string;
}

export type PidModeFinding =
  | { readonly outcome: "pass" }
  | { readonly outcome: "error" | "warning"; readonly message: string }
  | {
      readonly outcome: "exempt";
      readonly exception: ApprovedException;
      readonly message: string;
      readonly expiresSoon: boolean;
    };

function describeValue(pidMode: unknown, kind: PidModeKind): string {
  return typeof pidMode === "string"
    ? `pidMode ${JSON.stringify(pidMode)}`
    : `pidMode ${JSON.stringify(pidMode)} cannot be resolved at synth and could be "${kind.hostSharing}" at deploy time`;
}

/**
 * At synth there is no revision number yet, so only family-level exceptions can match; and an exception
 * limited to accounts can only match when the stack's account is known.
 */
function usableExceptions(exceptions: readonly ApprovedException[], accountId: string | undefined) {
  return exceptions.filter(
    (exception) =>
      exception.target.revision === undefined &&
      (accountId !== undefined || exception.accountIds === undefined),
  );
}

/** Why no exception matched, when there is something a reader can act on. */
function unmatchedHints(
  family: string,
  kind: PidModeKind,
  context: JudgementContext,
  accountId: string | undefined,
): string[] {
  const forFamily = context.exceptions.filter(
    (exception) => exception.target.family === family && exception.kind === kind.definitionKind,
  );
  const hints: string[] = [];
  if (forFamily.some((exception) => exception.target.revision !== undefined)) {
    hints.push(
      `Exceptions naming a revision of "${family}" cannot apply at synth: only family-level ones can.`,
    );
  }
  if (accountId === undefined && forFamily.some((exception) => exception.accountIds !== undefined)) {
    hints.push(
      `An exception for "${family}" is limited to accounts, and this stack has no literal account: set the stack's env.account or the Aspect's accountId.`,
    );
  }
  return hints;
}

/**
 * Decides one task definition or daemon task definition: pass (absent or the isolated value), exempt
 * (approved and unexpired), an error (any other literal) or a warning (unknown value). Any other literal is
 * an error, not only the host-sharing one: ECS rejects a value it does not know, and a spelling this code
 * does not know must never pass as the isolated one (fail closed).
 */
export function judgePidMode(definition: RenderedDefinition, context: JudgementContext): PidModeFinding {
  const { kind, path, pidMode, family, accountId } = definition;
  if (pidMode === undefined || pidMode === kind.isolated) return { outcome: "pass" };

  const outcome = typeof pidMode === "string" ? "error" : "warning";
  const problem = `${path}: ${kind.noun} ${describeValue(pidMode, kind)}; it must not share the host's process namespace (${kind.control}). Omit pidMode or set it to "${kind.isolated}".`;
  if (typeof family !== "string") {
    return {
      outcome,
      message: `${problem} Its family is not a literal, so no exception can match: set family. ${context.requestHint(undefined, kind.definitionKind)}`,
    };
  }

  const usable = usableExceptions(context.exceptions, accountId);
  // The revision is a placeholder: every usable exception is family-level, so it is not compared; and
  // without an account, no usable exception is limited to accounts, so the empty id is never compared either.
  const match = matchException(
    usable,
    { family, revision: 0, kind: kind.definitionKind },
    accountId ?? "",
    context.now,
  );
  if (match?.status === "valid") {
    const { exception } = match;
    return {
      outcome: "exempt",
      exception,
      expiresSoon: expiringSoon([exception], context.now).length > 0,
      message: `${path}: ${describeValue(pidMode, kind)} is exempt until ${exception.expires} (family "${family}", owner ${exception.owner}): ${exception.reason}`,
    };
  }
  const lapsed =
    match?.status === "expired"
      ? [
          `The exception for family "${family}" (owner ${match.exception.owner}) expired at ${match.exception.endsAt.toISOString()} (its last day was ${match.exception.expires}) and no longer applies: renew it or fix the ${kind.noun}.`,
        ]
      : [];
  return {
    outcome,
    message: [
      problem,
      ...lapsed,
      ...unmatchedHints(family, kind, context, accountId),
      context.requestHint(family, kind.definitionKind),
    ].join(" "),
  };
}
