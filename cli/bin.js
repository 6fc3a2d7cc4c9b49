#!/usr/bin/env node
// `ecs-pid-mode`: from a clone, the TypeScript sources through tsx (a devDependency), so an edit needs no
// build; from an installed package, which ships no sources, the compiled dist/cli that `prepare` built.
const { existsSync } = require("node:fs");
const { join } = require("node:path");

function entry() {
  const source = join(__dirname, "main.ts");
  if (existsSync(source)) {
    try {
      require("tsx/cjs/api").register();
      return require(source);
    } catch (error) {
      if (error.code !== "MODULE_NOT_FOUND" || !String(error.message).includes("tsx")) throw error;
    }
  }
  return require(join(__dirname, "..", "dist", "cli", "main.js"));
}

entry()
  .main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  })
  .then((status) => {
    process.exitCode = status;
  });
