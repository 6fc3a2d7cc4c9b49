// The SDK warns on every run that versions published after January 2027 need Node.js 22; the tests run on 20.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

// Powertools' Logger prints every log line of the code under test as JSON on stdout. Tests assert on what the code
// returns, writes to AWS and measures, never on a log line; the integration suite runs its handler the same way
// (POWERTOOLS_LOG_LEVEL in test/integration/handler.test.ts).
process.env.POWERTOOLS_LOG_LEVEL = "SILENT";

/**
 * Lines written straight to the process's streams, around Jest's console capture, that no test asserts as they pass
 * by: the CDK's progress line for each asset it bundles; Powertools Metrics' notice when a run stored no metric; and
 * the metrics themselves (CloudWatch's embedded metric format, one JSON line each), which the tests that check them
 * capture with `jest.spyOn(process.stdout, "write")`, a spy that stands in front of this filter. Only these lines are
 * dropped; everything else passes through.
 */
function drop(stream: NodeJS.WriteStream, noise: readonly RegExp[]): void {
  const marked = stream as NodeJS.WriteStream & { [QUIET]?: true };
  // Once per worker: this file runs before every test file, and the stream outlives them.
  if (marked[QUIET]) return;
  marked[QUIET] = true;
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) =>
    typeof chunk === "string" && noise.some((pattern) => pattern.test(chunk))
      ? true
      : write(chunk, ...rest)) as typeof stream.write;
}
const QUIET = Symbol.for("ecs-pid-mode.test.quietStream");
drop(process.stderr, [/^Bundling asset .+\.\.\.\n$/, /^No application metrics to publish\. /]);
drop(process.stdout, [/^\{"_aws":\{"Timestamp":/]);
