import type { Node } from "constructs";

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
