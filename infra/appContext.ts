import type { MaximumExecutionFrequency } from "aws-cdk-lib/aws-config";
import type { Node } from "constructs";

/** The rule's settings that every form of it shares: the app's stacks and `build:pack`'s pack file. */
export interface ConfigRuleSettings {
  /** Context `ruleName`: the Config rule's name; unset, the construct's default. */
  readonly ruleName: string | undefined;
  /** Context `maximumExecutionFrequency`: how often the sweep runs; unset, every six hours. */
  readonly maximumExecutionFrequency: MaximumExecutionFrequency | undefined;
  /** Context `evaluateServices`: whether services are in the rule's scope; unset, they are. */
  readonly evaluateServices: boolean | undefined;
}

/**
 * The context a CDK app gets from the CDK CLI: `cdk.json`'s `context`, then `-c key=value` pairs on top (as
 * strings, as the CLI passes them). For tools that read the app's settings without the CDK CLI.
 */
export function cdkJsonContext(
  cdkJsonText: string,
  overrides: readonly string[] = [],
): Record<string, unknown> {
  const document = JSON.parse(cdkJsonText) as { context?: unknown };
  const context = document.context ?? {};
  if (typeof context !== "object" || context === null || Array.isArray(context))
    throw new Error("cdk.json: context must be an object");
  const merged: Record<string, unknown> = { ...(context as Record<string, unknown>) };
  for (const pair of overrides) {
    const separator = pair.indexOf("=");
    if (separator < 1) throw new Error(`context must be given as key=value, got ${JSON.stringify(pair)}`);
    merged[pair.slice(0, separator)] = pair.slice(separator + 1);
  }
  return merged;
}

/**
 * Reads the app's settings from CDK context (`cdk.json` or `-c key=value`). Values given on the command line
 * arrive as strings: lists may be JSON arrays or comma-separated, objects JSON.
 */
export class AppContext {
  constructor(private readonly node: Node) {}

  string(key: string): string | undefined {
    const value = this.node.tryGetContext(key);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value !== "string")
      throw new Error(`context ${key} must be a string, got ${JSON.stringify(value)}`);
    return value;
  }

  number(key: string): number | undefined {
    const value = this.node.tryGetContext(key);
    if (value === undefined || value === null || value === "") return undefined;
    const number = typeof value === "number" ? value : Number(value);
    if (Number.isNaN(number))
      throw new Error(`context ${key} must be a number, got ${JSON.stringify(value)}`);
    return number;
  }

  boolean(key: string): boolean | undefined {
    const value = this.node.tryGetContext(key);
    if (value === undefined || value === null || value === "") return undefined;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
  }

  list(key: string): string[] | undefined {
    const value = this.json(key);
    if (value === undefined) return undefined;
    const list = typeof value === "string" ? value.split(",").map((item) => item.trim()) : value;
    if (!Array.isArray(list) || list.some((item) => typeof item !== "string")) {
      throw new Error(`context ${key} must be a list of strings, got ${JSON.stringify(value)}`);
    }
    return list.filter((item) => item !== "");
  }

  /** The rule's name, sweep frequency and scope, under the keys docs/deploy.md documents. */
  ruleSettings(): ConfigRuleSettings {
    return {
      ruleName: this.string("ruleName"),
      maximumExecutionFrequency: this.string("maximumExecutionFrequency") as
        | MaximumExecutionFrequency
        | undefined,
      evaluateServices: this.boolean("evaluateServices"),
    };
  }

  /** A value that may be given as JSON text on the command line. */
  json(key: string): unknown {
    const value = this.node.tryGetContext(key);
    if (value === undefined || value === null || value === "") return undefined;
    if (typeof value === "string" && /^\s*[[{]/.test(value)) {
      try {
        return JSON.parse(value);
      } catch {
        throw new Error(`context ${key} is not valid JSON: ${value}`);
      }
    }
    return value;
  }
}
