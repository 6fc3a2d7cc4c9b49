import { existsSync } from "node:fs";
import * as path from "node:path";

/**
 * The package's own folder, found from this file whether it runs from source (`infra/`) or compiled
 * (`dist/infra/`): the function's entry and the Guard rule file are shipped as they are, not compiled.
 */
export function packageRoot(from = __dirname): string {
  let folder = from;
  while (!existsSync(path.join(folder, "package.json"))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error(`no package.json above ${from}`);
    folder = parent;
  }
  return folder;
}
