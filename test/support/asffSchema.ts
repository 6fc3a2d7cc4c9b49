// The published schema of an ASFF finding, as @aws-sdk/client-securityhub ships it: the required members come
// from the runtime schema the SDK serializes BatchImportFindings with (a structure's members list its required
// ones first, and its seventh element counts them), the length, item and enum limits from the documentation
// and types of its declaration files, read with the TypeScript compiler. Nothing is copied by hand.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import * as securityHub from "@aws-sdk/client-securityhub";
import ts from "typescript";

export interface MemberLimits {
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  /** The enum a member's type names, with its values. */
  enumValues?: readonly string[];
}

type Schema = unknown;

const modelsDirectory = join(
  dirname(require.resolve("@aws-sdk/client-securityhub/package.json")),
  "dist-types",
  "models",
);

function enumValues(typeName: string): readonly string[] | undefined {
  const value = (securityHub as Record<string, unknown>)[typeName];
  if (value === null || typeof value !== "object") return undefined;
  const values = Object.values(value);
  return values.every((item) => typeof item === "string") ? (values as string[]) : undefined;
}

function limitsOf(doc: string, type: ts.TypeNode | undefined): MemberLimits {
  const limits: MemberLimits = {};
  const exact = /Length Constraints: (\d+)\./.exec(doc);
  if (exact) limits.minLength = limits.maxLength = Number(exact[1]);
  const min = /Minimum (?:length )?of (\d+)(?: length)?\./.exec(doc);
  if (min) limits.minLength = Number(min[1]);
  const max = /Maximum (?:length )?of (\d+)(?: length)?\./.exec(doc);
  if (max) limits.maxLength = Number(max[1]);
  const items = /Maximum number of (\d+) items/.exec(doc);
  if (items) limits.maxItems = Number(items[1]);
  if (type !== undefined && ts.isUnionTypeNode(type)) {
    for (const member of type.types) {
      if (ts.isTypeReferenceNode(member)) {
        const values = enumValues(member.typeName.getText());
        if (values !== undefined) limits.enumValues = values;
      }
    }
  }
  return limits;
}

/** Interface → member → limits, from every models declaration file. */
export function declaredLimits(): Map<string, Map<string, MemberLimits>> {
  const byShape = new Map<string, Map<string, MemberLimits>>();
  for (const file of readdirSync(modelsDirectory).filter((name) => name.endsWith(".d.ts"))) {
    const source = ts.createSourceFile(
      file,
      readFileSync(join(modelsDirectory, file), "utf8"),
      ts.ScriptTarget.Latest,
      true,
    );
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      const members = new Map<string, MemberLimits>();
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || member.name === undefined) continue;
        const doc = ts
          .getJSDocCommentsAndTags(member)
          .map((node) => node.getText())
          .join("\n");
        members.set(member.name.getText(), limitsOf(doc, member.type));
      }
      byShape.set(statement.name.text, members);
    }
  }
  return byShape;
}

/** The members a structure of the runtime schema requires. */
export function requiredMembers(schema: Schema): string[] {
  const structure = schema as [number, string, string, unknown, string[], unknown[], number?];
  return structure[4].slice(0, structure[6] ?? 0);
}

const resolve = (schema: Schema): Schema => (typeof schema === "function" ? schema() : schema);

/** Every way `value` breaks the schema (required members, unknown members, types, lengths, items, enums). */
export function schemaProblems(
  value: unknown,
  schema: Schema,
  limits: Map<string, Map<string, MemberLimits>>,
  path = "$",
): string[] {
  const resolved = resolve(schema);
  if (typeof resolved === "number") {
    if (resolved === 0) return typeof value === "string" ? [] : [`${path}: not a string`];
    if (resolved === 1) return typeof value === "number" ? [] : [`${path}: not a number`];
    if (resolved === 2) return typeof value === "boolean" ? [] : [`${path}: not a boolean`];
    if ((resolved & 64) !== 0)
      return Array.isArray(value)
        ? value.flatMap((item, index) => schemaProblems(item, resolved & ~64, limits, `${path}[${index}]`))
        : [`${path}: not a list`];
    if ((resolved & 128) !== 0)
      return value !== null && typeof value === "object" && !Array.isArray(value)
        ? Object.entries(value).flatMap(([key, item]) =>
            schemaProblems(item, resolved & ~128, limits, `${path}.${key}`),
          )
        : [`${path}: not a map`];
    return [`${path}: a schema kind ${resolved} this check does not know`];
  }
  const shape = resolved as unknown[];
  if (shape[0] === 1)
    return Array.isArray(value)
      ? value.flatMap((item, index) => schemaProblems(item, shape[4], limits, `${path}[${index}]`))
      : [`${path}: not a list`];
  if (shape[0] !== 3) return [`${path}: a schema kind ${String(shape[0])} this check does not know`];
  if (value === null || typeof value !== "object" || Array.isArray(value))
    return [`${path}: not a structure`];
  const names = shape[4] as string[];
  const memberSchemas = shape[5] as Schema[];
  const declared = limits.get(shape[2] as string) ?? new Map<string, MemberLimits>();
  const record = value as Record<string, unknown>;
  const problems = requiredMembers(resolved)
    .filter((name) => record[name] === undefined)
    .map((name) => `${path}.${name}: required`);
  for (const [name, item] of Object.entries(record)) {
    const index = names.indexOf(name);
    if (index < 0) {
      problems.push(`${path}.${name}: not a member of ${String(shape[2])}`);
      continue;
    }
    const where = `${path}.${name}`;
    const limit = declared.get(name) ?? {};
    if (typeof item === "string") {
      if (limit.minLength !== undefined && item.length < limit.minLength)
        problems.push(`${where}: shorter than ${limit.minLength}`);
      if (limit.maxLength !== undefined && item.length > limit.maxLength)
        problems.push(`${where}: longer than ${limit.maxLength}`);
      if (limit.enumValues !== undefined && !limit.enumValues.includes(item))
        problems.push(`${where}: ${item} is none of ${limit.enumValues.join(", ")}`);
    }
    if (Array.isArray(item) && limit.maxItems !== undefined && item.length > limit.maxItems)
      problems.push(`${where}: more than ${limit.maxItems} items`);
    problems.push(...schemaProblems(item, memberSchemas[index], limits, where));
  }
  return problems;
}
