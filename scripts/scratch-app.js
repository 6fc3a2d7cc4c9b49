// The scratch consumer app of scripts/check-package.sh: everything it uses comes from the installed package.
const assert = require("node:assert/strict");
const { readFileSync } = require("node:fs");
const { App, Aspects, Stack } = require("aws-cdk-lib");
const { CfnTaskDefinition } = require("aws-cdk-lib/aws-ecs");
const pkg = require("ecs-pid-mode-in-use-rule");

const inDays = (days) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const container = { name: "app", image: "public.ecr.aws/docker/library/busybox:latest", memory: 128 };

function synth(definitions) {
  const app = new App();
  const stack = new Stack(app, "Consumer");
  new pkg.EcsPidModeRule(stack, "Rule");
  for (const [id, props] of Object.entries(definitions))
    new CfnTaskDefinition(stack, id, { containerDefinitions: [container], ...props });
  const exceptions = [
    { taskDefinition: "node-exporter", owner: "obs", expires: inDays(30), reason: "metrics" },
  ];
  Aspects.of(app).add(new pkg.EcsPidModeAspect({ exceptions }));
  return app.synth().getStackArtifact(stack.artifactId);
}

const clean = synth({ Web: { family: "web" }, NodeExporter: { family: "node-exporter", pidMode: "host" } });
const resources = Object.values(clean.template.Resources);
const types = new Set(resources.map((resource) => resource.Type));
for (const type of ["AWS::Config::ConfigRule", "AWS::Lambda::Function", "AWS::SSM::Parameter"])
  assert.ok(types.has(type), `the construct synthesized no ${type}`);
const exempt = resources.find((resource) => resource.Properties?.Family === "node-exporter");
assert.deepEqual(exempt.Metadata.guard.SuppressedRules, [pkg.ECS_PID_MODE_GUARD_RULE_NAME]);
assert.ok(!clean.messages.some((message) => message.level === "error"), "a clean stack reported errors");

const failing = synth({ Agent: { family: "agent", pidMode: "host" } });
assert.ok(
  failing.messages.some(
    (message) => message.level === "error" && /pidMode "host"/.test(String(message.entry.data)),
  ),
  "the Aspect did not report a task definition with pidMode host",
);

const guard = readFileSync(pkg.ECS_PID_MODE_GUARD_RULE_FILE, "utf8");
assert.ok(guard.includes(pkg.ECS_PID_MODE_GUARD_RULE_NAME), "the Guard rule file does not hold the rule");
console.log(
  `the installed package synthesizes: ${resources.length} resources, the Aspect and the Guard rule work`,
);

// The package's other surfaces, through its `exports` map; its insides stay out of reach.
const surfaces = {
  "ecs-pid-mode-in-use-rule/core": "judgeTaskDefinition",
  "ecs-pid-mode-in-use-rule/rule": "createRule",
  "ecs-pid-mode-in-use-rule/remediation": "planRegion",
};
for (const [surface, name] of Object.entries(surfaces))
  assert.equal(typeof require(surface)[name], "function", `${surface} does not export ${name}`);
assert.ok(
  require("ecs-pid-mode-in-use-rule/schemas/scan.schema.json").$schema,
  "the scan schema is not shipped",
);
assert.throws(
  () => require("ecs-pid-mode-in-use-rule/dist/lambda/wiring.js"),
  { code: "ERR_PACKAGE_PATH_NOT_EXPORTED" },
  "a file inside the package could be required past its exports map",
);
console.log(`the package's surfaces resolve: ${Object.keys(surfaces).join(", ")}; its insides do not`);
