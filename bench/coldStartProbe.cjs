// Loads a handler bundle in this fresh process and invokes it once; prints the times as one JSON line.
// Plain CommonJS so that nothing but the bundle itself is loaded before the clock starts.
const [bundlePath, eventJson] = process.argv.slice(2);
const started = performance.now();
const { handler } = require(bundlePath);
const loaded = performance.now();
const deadline = Date.now() + 900_000;
const context = {
  functionName: "ecs-pid-mode-rule",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111111111111:function:ecs-pid-mode-rule",
  awsRequestId: "00000000-0000-4000-8000-000000000000",
  getRemainingTimeInMillis: () => deadline - Date.now(),
};
handler(JSON.parse(eventJson), context).then(
  async () => {
    const invoked = performance.now();
    await handler(JSON.parse(eventJson), context);
    const warm = performance.now();
    process.stdout.write(
      `${JSON.stringify({ loadMs: loaded - started, invokeMs: invoked - loaded, warmInvokeMs: warm - invoked, totalMs: invoked - started })}\n`,
    );
  },
  (error) => {
    process.stderr.write(`${error}\n`);
    process.exitCode = 1;
  },
);
