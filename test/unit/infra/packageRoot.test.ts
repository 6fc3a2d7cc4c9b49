import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { packageRoot } from "../../../infra/packageRoot";

describe("finding the package's own folder", () => {
  it("walks up from a compiled file's folder to the folder holding package.json", () => {
    const root = mkdtempSync(path.join(tmpdir(), "package-root-"));
    writeFileSync(path.join(root, "package.json"), "{}");
    const compiled = path.join(root, "dist", "infra", "aspects");
    mkdirSync(compiled, { recursive: true });
    expect(packageRoot(compiled)).toBe(root);
  });

  it("says where it looked when there is no package.json above", () => {
    expect(() => packageRoot(path.parse(tmpdir()).root)).toThrow(/no package.json above/);
  });
});
