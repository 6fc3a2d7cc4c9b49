import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as ts from "typescript";

const INFRA = join(__dirname, "../../../infra");

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

interface PropDoc {
  readonly where: string;
  readonly optional: boolean;
  readonly text: string;
  readonly tags: readonly string[];
}

/** Every member of every exported `...Props` interface of infra/, with its doc comment. */
function documentedProps(): PropDoc[] {
  return sourceFiles(INFRA).flatMap((file) => {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    return source.statements
      .filter(ts.isInterfaceDeclaration)
      .filter((declaration) => declaration.name.text.endsWith("Props"))
      .filter((declaration) => declaration.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword))
      .flatMap((declaration) =>
        declaration.members.filter(ts.isPropertySignature).map((member) => {
          const docs = ts.getJSDocCommentsAndTags(member).filter(ts.isJSDoc);
          const text = docs.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? "").join(" ");
          return {
            where: `${relative(INFRA, file)} ${declaration.name.text}.${member.name.getText(source)}`,
            optional: member.questionToken !== undefined,
            text,
            tags: docs.flatMap((doc) => (doc.tags ?? []).map((tag) => tag.tagName.text)),
          };
        }),
      );
  });
}

describe("the construct and stack props", () => {
  const props = documentedProps();

  it("are found in infra/ (the check reads the sources it guards)", () => {
    expect(props.map((prop) => prop.where)).toEqual(
      expect.arrayContaining([
        "ecsPidModeRule.ts EcsPidModeRuleProps.maximumExecutionFrequency",
        "organizationStack.ts OrganizationStackProps.ruleRegions",
      ]),
    );
  });

  it("each say in a sentence what they are", () => {
    const undocumented = props.filter((prop) => !/\w.*[.:)]|\w{3,}\s+\w{3,}/.test(prop.text));
    expect(undocumented.map((prop) => prop.where)).toEqual([]);
  });

  it("each say their default when they are optional, as aws-cdk's props do", () => {
    const withoutDefault = props.filter((prop) => prop.optional && !prop.tags.includes("default"));
    expect(withoutDefault.map((prop) => prop.where)).toEqual([]);
  });
});
