import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

// The layers CONTRIBUTING.md draws, checked on every import: core <- rule <- adapters and wiring <- handler,
// with infra/, cli/, bench/ and sim/ outside.

const ROOT = resolve(__dirname, "../..");

function sourceFiles(directory: string): string[] {
  return readdirSync(join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** What a file imports: project files as paths from the root (no extension), packages by name. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), "utf8");
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*"([^"]+)"/g)].map(
    (match) => match[1] as string,
  );
  return specifiers.map((specifier) =>
    specifier.startsWith(".") ? relative(ROOT, resolve(ROOT, dirname(file), specifier)) : specifier,
  );
}

/** Every import of the files under `directory` that `allowed` refuses, as "file -> import". */
function violations(directory: string, allowed: (target: string) => boolean): string[] {
  return sourceFiles(directory).flatMap((file) =>
    importsOf(file)
      .filter((target) => !allowed(target))
      .map((target) => `${file} -> ${target}`),
  );
}

/** Every cycle of `graph` found by a depth-first walk, each as the path that closes it. */
function circlesIn(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const done = new Set<string>();
  const circles: string[][] = [];
  const walk = (node: string, path: string[]): void => {
    const seenAt = path.indexOf(node);
    if (seenAt >= 0) {
      circles.push([...path.slice(seenAt), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) walk(node, []);
  return circles;
}

/** The project's TypeScript file an import names, or undefined for a package or a data file. */
function sourceOf(target: string): string | undefined {
  return [`${target}.ts`, `${target}/index.ts`].find((candidate) => existsSync(join(ROOT, candidate)));
}

/** The import circles among the project's files reachable from `directory`. */
function importCircles(directory: string): string[][] {
  const graph = new Map<string, string[]>();
  const visit = (file: string): void => {
    if (graph.has(file)) return;
    const targets = importsOf(file).flatMap((target) => sourceOf(target) ?? []);
    graph.set(file, targets);
    for (const target of targets) visit(target);
  };
  for (const file of sourceFiles(directory)) visit(file);
  return circlesIn(graph);
}

const within =
  (...prefixes: string[]) =>
  (target: string) =>
    prefixes.some((prefix) => target === prefix || target.startsWith(`${prefix}/`));

describe("the layers of the code", () => {
  it("are read from the imports themselves (the check sees what a file imports)", () => {
    expect(importsOf("lambda/rule/sweep.ts")).toEqual(expect.arrayContaining(["lambda/core/sweepPlan"]));
    expect(importsOf("lambda/wiring.ts")).toEqual(expect.arrayContaining(["@aws-sdk/client-ecs"]));
  });

  it("keep lambda/errors.ts at the bottom: it imports nothing", () => {
    expect(importsOf("lambda/errors.ts")).toEqual([]);
  });

  it.each(["lambda", "cli", "infra", "bench", "sim"])(
    "form no import circle in %s/, type-only imports included",
    (folder) => {
      expect(importCircles(folder)).toEqual([]);
    },
  );

  it("let every edge that runs the rule decide how it fails through failureOf, since the rule returns its report", () => {
    const edges = ["lambda", "cli", "bench", "sim"]
      .flatMap(sourceFiles)
      .filter((file) =>
        /\brule\s*\.handle\(|\)\.handle\(|\n\s*\.handle\(/.test(readFileSync(join(ROOT, file), "utf8")),
      );
    expect(edges.length).toBeGreaterThanOrEqual(4);
    const deciding = (file: string) =>
      /\bfailureOf\b|\bfailureText\b/.test(readFileSync(join(ROOT, file), "utf8"));
    expect(edges.filter((file) => !deciding(file))).toEqual([]);
  });

  it.each(["lambda", "cli"])(
    "let %s/ throw only the project's errors (EcsPidModeError and its kin), never a bare Error",
    (folder) => {
      const bare = sourceFiles(folder).filter((file) =>
        /throw new (Error|TypeError|RangeError)\(/.test(readFileSync(join(ROOT, file), "utf8")),
      );
      expect(bare).toEqual([]);
    },
  );

  it("find an import circle where there is one (the check above can fail)", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(circlesIn(graph)).toEqual([["a", "b", "c", "a"]]);
  });

  it("keep the core pure: it imports only itself and the errors, no SDK, no Node.js module", () => {
    expect(violations("lambda/core", within("lambda/core", "lambda/errors"))).toEqual([]);
  });

  it("keep lambda/util free of AWS and of the rule", () => {
    expect(violations("lambda/util", within("lambda/util", "lambda/errors"))).toEqual([]);
  });

  it("let the rule import the core, its own ports and utilities, never an adapter or an SDK", () => {
    const allowed = within("lambda/rule", "lambda/core", "lambda/util", "lambda/errors", "lambda/event");
    expect(violations("lambda/rule", allowed)).toEqual([]);
  });

  it("let adapters implement the rule's ports without reaching into the rule's logic or the wiring", () => {
    const allowed = (target: string) =>
      within("lambda/adapters", "lambda/core", "lambda/util", "lambda/errors", "lambda/rule/ports")(target) ||
      // Node.js's own modules too: verifying what AWS answered (the exceptions parameter's digest) is adapter work.
      /^(@(aws-sdk|smithy)\/|node:)/.test(target);
    expect(violations("lambda/adapters", allowed)).toEqual([]);
  });

  it("let the organization-sync function use the core, utilities, errors, the SDK clients' options and the SDK", () => {
    const allowed = (target: string) =>
      within(
        "lambda/orgSync",
        "lambda/core",
        "lambda/util",
        "lambda/errors",
        "lambda/adapters/sdkClientOptions",
      )(target) || /^@(aws-sdk|aws-lambda-powertools)\//.test(target);
    expect(violations("lambda/orgSync", allowed)).toEqual([]);
  });

  describe("of the remediation (lambda/remediation/: core, ports, adapters, use cases, entry and wiring)", () => {
    /** Imports of `import type` only: they vanish when compiled, so no SDK is loaded. */
    function typeOnlyImports(file: string): string[] {
      const text = readFileSync(join(ROOT, file), "utf8");
      return [...text.matchAll(/import\s+type\s+[^;]*?from\s*"([^"]+)"/g)].map((match) => match[1] as string);
    }
    const sdkTypesOnly = (directory: string) =>
      sourceFiles(directory).flatMap((file) => {
        const typeOnly = new Set(typeOnlyImports(file));
        return importsOf(file)
          .filter((target) => /^@aws-sdk\//.test(target) && !typeOnly.has(target))
          .map((target) => `${file} -> ${target} (a value import)`);
      });

    it("keep its core pure: only itself, the rule's core and the errors, the SDK for its types alone", () => {
      const allowed = (target: string) =>
        within("lambda/remediation/core", "lambda/core", "lambda/errors")(target) ||
        target === "@aws-sdk/client-ecs";
      expect(violations("lambda/remediation/core", allowed)).toEqual([]);
      expect(sdkTypesOnly("lambda/remediation/core")).toEqual([]);
    });

    it("let its use cases see the world only through its ports", () => {
      const allowed = within(
        "lambda/remediation/useCases",
        "lambda/remediation/core",
        "lambda/remediation/ports",
        "lambda/core",
        "lambda/util",
        "lambda/errors",
        "lambda/inUseReading",
      );
      expect(violations("lambda/remediation/useCases", allowed)).toEqual([]);
    });

    it("let its adapters call AWS through the rule's paced ECS caller, never the rule's readers of what runs", () => {
      const allowed = (target: string) =>
        within(
          "lambda/remediation/adapters",
          "lambda/remediation/core",
          "lambda/remediation/ports",
          "lambda/adapters/ecsCalls",
          "lambda/adapters/ecsReadBuckets",
          "lambda/adapters/retry",
          "lambda/core",
          "lambda/util",
          "lambda/errors",
        )(target) || /^@(aws-sdk|smithy)\//.test(target);
      expect(violations("lambda/remediation/adapters", allowed)).toEqual([]);
    });

    it("read what runs through lambda/inUseReading.ts, the module the rule's wiring uses too", () => {
      const readers = (target: string) =>
        within("lambda/adapters/inUseReader", "lambda/adapters/revisionDescriber")(target);
      expect(violations("lambda/remediation", (target) => !readers(target))).toEqual([]);
      expect(importsOf("lambda/wiring.ts")).toContain("lambda/inUseReading");
      expect(importsOf("lambda/remediation/remediateFamily.ts")).toContain("lambda/inUseReading");
    });

    it("name no command-line flag or npm script in its text: it speaks of the domain", () => {
      const flags = sourceFiles("lambda/remediation").filter((file) =>
        /(^|[\s`"'(])--[a-z]|npm run/.test(readFileSync(join(ROOT, file), "utf8")),
      );
      expect(flags).toEqual([]);
    });
  });

  it("assemble the readers of what runs in one place, lambda/inUseReading.ts, for the rule, the scan and the remediation", () => {
    const assemblers = ["lambda", "cli", "bench", "infra"]
      .flatMap(sourceFiles)
      .filter((file) =>
        /new (EcsInUseReader|EcsRevisionDescriber|EcsDaemonReader)\(/.test(
          readFileSync(join(ROOT, file), "utf8"),
        ),
      );
    expect(assemblers).toEqual(["lambda/inUseReading.ts"]);
  });

  it("page through AWS listings with one helper, lambda/util/paging.ts, or the SDK's paginators", () => {
    const handWritten = ["lambda", "cli", "bench", "infra", "scripts"]
      .flatMap(sourceFiles)
      .filter((file) => file !== "lambda/util/paging.ts")
      .filter((file) => /while \(\w*[tT]oken\w*\)/.test(readFileSync(join(ROOT, file), "utf8")));
    expect(handWritten).toEqual([]);
  });

  describe("of the public surfaces", () => {
    const SURFACES = ["lambda/index", "lambda/core/index", "lambda/remediation/index"];
    const OUTSIDE = ["infra", "cli", "bench", "sim", "scripts"];

    /** The names a surface exports. */
    function exportedNames(surface: string): string[] {
      const text = readFileSync(join(ROOT, `${surface}.ts`), "utf8");
      return [...text.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((match) =>
        (match[1] as string)
          .split(",")
          .map((name) => name.replace(/^\s*type\s+/, "").trim())
          .filter((name) => name !== ""),
      );
    }

    it.each(["cli", "bench", "sim"])(
      "let %s/ use lambda/ only through its public surfaces: the rule's, the core's and the remediation's",
      (folder) => {
        const reachesInside = (target: string) => target.startsWith("lambda/") && !SURFACES.includes(target);
        expect(violations(folder, (target) => !reachesInside(target))).toEqual([]);
      },
    );

    it("let infra/ reach the pure core through its one entry and the errors, so synth never loads the SDK clients", () => {
      const reachesPastCore = (target: string) =>
        target.startsWith("lambda/") && target !== "lambda/core/index" && target !== "lambda/errors";
      expect(violations("infra", (target) => !reachesPastCore(target))).toEqual([]);
    });

    it.each(SURFACES)("keep %s to tens of names, each with a user outside lambda/", (surface) => {
      const names = exportedNames(surface);
      expect(names.length).toBeGreaterThan(10);
      expect(names.length).toBeLessThanOrEqual(60);
      const outside = OUTSIDE.flatMap(sourceFiles).map((file) => readFileSync(join(ROOT, file), "utf8"));
      const unused = names.filter((name) => !outside.some((text) => new RegExp(`\\b${name}\\b`).test(text)));
      expect(unused).toEqual([]);
    });
  });

  describe("of the command line (cli/: one folder per command, cli/shared/ for what several use)", () => {
    const commands = readdirSync(join(ROOT, "cli"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== "shared")
      .map((entry) => `cli/${entry.name}`);

    it("has the commands' folders (the check below sees every one)", () => {
      expect(commands).toEqual(
        expect.arrayContaining(["cli/scan", "cli/remediate", "cli/approvedExceptions", "cli/demo"]),
      );
    });

    it.each(commands)(
      "let %s/ import no other command's folder: what two commands use lives in cli/shared/",
      (folder) => {
        const otherCommand = (target: string) =>
          within(...commands.filter((other) => other !== folder))(target);
        expect(violations(folder, (target) => !otherCommand(target))).toEqual([]);
      },
    );

    it("let cli/shared/ import no command's folder", () => {
      expect(violations("cli/shared", (target) => !within(...commands)(target))).toEqual([]);
    });
  });
});
