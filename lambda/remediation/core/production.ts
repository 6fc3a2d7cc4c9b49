// Which services and tasks count as production: a rule the user sets, evidence named, unknown kept apart.
import { ProductionRuleError } from "../../errors";

export type ProductionRule =
  | { readonly source: "tag"; readonly key: string; readonly value: RegExp }
  | { readonly source: "cluster"; readonly name: RegExp };

/** When no rule is given: an `environment`, `env` or `stage` tag whose value starts with `prod`. */
export const DEFAULT_PRODUCTION_RULES: readonly ProductionRule[] = ["environment", "env", "stage"].map(
  (key) => ({ source: "tag", key, value: /^prod/i }),
);

function regexOf(text: string, option: string): RegExp {
  try {
    return new RegExp(text);
  } catch (error) {
    throw new ProductionRuleError(
      `production rule ${JSON.stringify(option)}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/** `tag:KEY=REGEX` or `cluster:REGEX`; anything else is an error naming the option. */
export function parseProductionRule(option: string): ProductionRule {
  if (option.startsWith("tag:")) {
    const body = option.slice("tag:".length);
    const equals = body.indexOf("=");
    if (equals <= 0 || equals === body.length - 1) {
      throw new ProductionRuleError(
        `production rule ${JSON.stringify(option)}: write tag:KEY=REGEX, e.g. tag:environment=^prod`,
      );
    }
    return { source: "tag", key: body.slice(0, equals), value: regexOf(body.slice(equals + 1), option) };
  }
  if (option.startsWith("cluster:") && option.length > "cluster:".length) {
    return { source: "cluster", name: regexOf(option.slice("cluster:".length), option) };
  }
  throw new ProductionRuleError(
    `production rule ${JSON.stringify(option)}: write tag:KEY=REGEX or cluster:REGEX, e.g. cluster:^prod-`,
  );
}

export interface Tag {
  readonly key?: string | undefined;
  readonly value?: string | undefined;
}

/** Where the tags the rule reads came from; `undefined` tags: that source could not be read. */
export interface ProductionFacts {
  readonly cluster: string;
  readonly serviceTags?: readonly Tag[] | undefined;
  readonly taskDefinitionTags?: readonly Tag[] | undefined;
  readonly clusterTags?: readonly Tag[] | undefined;
}

export type Production =
  | { readonly status: "production"; readonly evidence: string }
  | { readonly status: "not-production"; readonly evidence: string }
  | { readonly status: "unknown"; readonly why: string };

const TAG_SOURCES = [
  ["serviceTags", "service"],
  ["taskDefinitionTags", "task definition"],
  ["clusterTags", "cluster"],
] as const;

/**
 * Production when any rule matches. Not production when a rule could decide and none matched: a cluster
 * rule (the name is always known), or a tag the rules look at that is present with another value.
 * Otherwise unknown (no such tag anywhere, or tags that could not be read), which is not production.
 * Tag keys are compared without regard to case (`Environment` and `environment` are one key to people).
 */
export function classifyProduction(rules: readonly ProductionRule[], facts: ProductionFacts): Production {
  let decidedAgainst: string | undefined;
  const unread: string[] = [];
  for (const rule of rules) {
    if (rule.source === "cluster") {
      if (rule.name.test(facts.cluster))
        return {
          status: "production",
          evidence: `cluster name ${facts.cluster} matches ${rule.name.source}`,
        };
      decidedAgainst ??= `cluster name ${facts.cluster} does not match ${rule.name.source}`;
      continue;
    }
    for (const [field, label] of TAG_SOURCES) {
      const tags = facts[field];
      if (tags === undefined) {
        unread.push(`${label} tags`);
        continue;
      }
      for (const tag of tags) {
        if (tag.key?.toLowerCase() !== rule.key.toLowerCase()) continue;
        const value = tag.value ?? "";
        if (rule.value.test(value))
          return { status: "production", evidence: `${label} tag ${tag.key}=${value}` };
        decidedAgainst ??= `${label} tag ${tag.key}=${value}`;
      }
    }
  }
  if (decidedAgainst !== undefined) return { status: "not-production", evidence: decidedAgainst };
  const unreadSources = [...new Set(unread)];
  return {
    status: "unknown",
    why:
      unreadSources.length > 0
        ? `no production tag found; not read: ${unreadSources.join(", ")}`
        : "no tag or cluster name the production rule looks at",
  };
}
