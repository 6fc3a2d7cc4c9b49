import * as path from "node:path";
import { Architecture, Runtime } from "aws-cdk-lib/aws-lambda";
import { type BundlingOptions, LogLevel, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import { packageRoot } from "./packageRoot";

/**
 * How the rule's function is built, in one place: the CDK app deploys this bundle and the benchmark builds the
 * same one with esbuild directly, so what is measured is what runs.
 */

export const RULE_ENTRY = path.join(packageRoot(), "lambda", "handler.ts");
export const RULE_HANDLER = "handler";
export const RULE_RUNTIME = Runtime.NODEJS_24_X;
export const RULE_ARCHITECTURE = Architecture.ARM_64;
/** esbuild's name for the runtime's Node.js version. */
export const RULE_ESBUILD_TARGET = "node24";

/** The SDK is bundled (no externals): the function runs the SDK version the tests ran against. */
export const ruleBundling: BundlingOptions = {
  minify: true,
  sourceMap: true,
  // Stack traces need the mappings only; the sources' text would double the map Node.js reads at start.
  sourcesContent: false,
  format: OutputFormat.CJS,
  target: RULE_ESBUILD_TARGET,
  externalModules: [],
  // Prefer packages' ES module builds: esbuild can drop what the rule never calls (a third of the SDK code).
  mainFields: ["module", "main"],
  forceDockerBundling: false,
  // esbuild's warnings and errors, not its size table and timing for every bundle (each synth and each CDK test
  // bundles several): the bundle's size is the benchmark's to report (docs/performance.md).
  logLevel: LogLevel.WARNING,
};

/** Stack traces in the logs point at the TypeScript sources. */
export const SOURCE_MAP_NODE_OPTIONS = "--enable-source-maps";

/** The same bundle as esbuild build options, for tools that call esbuild themselves (the benchmark). */
export function ruleEsbuildOptions(outfile: string) {
  return {
    entryPoints: [RULE_ENTRY],
    outfile,
    bundle: true,
    platform: "node" as const,
    format: "cjs" as const,
    target: RULE_ESBUILD_TARGET,
    minify: ruleBundling.minify,
    sourcemap: ruleBundling.sourceMap,
    sourcesContent: ruleBundling.sourcesContent,
    external: [...(ruleBundling.externalModules ?? [])],
    mainFields: [...(ruleBundling.mainFields ?? [])],
  };
}
