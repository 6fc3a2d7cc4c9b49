#!/bin/sh
# Synthesizes every stack (the organization stacks too, with an example organization), writes the
# conformance pack template and runs cfn-lint over all of them. Exits non-zero on any cfn-lint error.
set -eu
cd "$(dirname "$0")/.."

out=cdk.out
rm -rf "$out"
npx cdk synth --quiet --no-notices --output "$out"
# With organization context the app holds the organization stacks only (never the account stack beside them),
# here with 1,000 member accounts in the central function's invoke policy. That policy is an
# AWS::Lambda::ResourcePolicy, a type cfn-lint 1.51 predates: the resource itself suppresses E3006, nothing else.
members=$(seq 200000000000 200000000999 | paste -sd, -)
npx cdk synth --quiet --no-notices --output "$out/organization" --context organizationalUnitIds=r-example \
  --context ruleRegions=eu-west-1,us-east-1 --context memberAccountIds="$members"
# The per-account organization shape, here for 5,000 member accounts: the function in each member account.
many=$(seq 300000000000 300000004999 | paste -sd, -)
npx cdk synth --quiet --no-notices --output "$out/perAccount" --context organizationalUnitIds=r-example \
  --context organizationShape=perAccount --context organizationId=o-exampleorg1 --context memberAccountIds="$many"
# The account stack's other two shapes: the rule inside an account pack, and the function alone.
for shape in conformancePack function; do
  npx cdk synth --quiet --no-notices --output "$out/$shape" --context deployAs=$shape EcsPidModeRule
done
# The remediation is opt-in: the account stack once more with it, and the roles it may pass.
npx cdk synth --quiet --no-notices --output "$out/remediation" --context remediation=true \
  --context remediationPassRoles=app-task,ecsTaskExecutionRole EcsPidModeRule
npx tsx scripts/build-pack.ts dist/conformance-pack.yaml

templates=$(ls "$out"/*.template.json "$out"/*/*.template.json)
echo "cfn-lint:" $templates dist/conformance-pack.yaml
# Exit codes: 2 = errors; warnings (4) and informational findings (8) are reported but do not fail.
status=0
cfn-lint --non-zero-exit-code error -- $templates dist/conformance-pack.yaml || status=$?
if [ "$status" -ne 0 ]; then
  echo "cfn-lint found errors" >&2
  exit "$status"
fi
echo "cfn-lint: no errors"
