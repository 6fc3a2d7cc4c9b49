#!/bin/sh
# What `npm install <this repository>` gives a consumer: packs the package as npm would (`prepare` builds
# dist), installs the tarball into a scratch CDK app in a temporary directory, and synthesizes a stack that
# uses the construct, the Aspect and the Guard rule file. Needs the npm registry (for the scratch app's
# aws-cdk-lib, constructs and esbuild, at the versions this repository tests with).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

tarball=$(npm pack --silent --pack-destination "$scratch" | tail -n 1)
echo "packed $tarball"
version() { node -p "require('$root/package.json').devDependencies['$1']"; }

cd "$scratch"
printf '{ "name": "scratch-cdk-app", "version": "0.0.0", "private": true }\n' > package.json
npm install --no-audit --no-fund --loglevel=error "./$tarball" \
  "aws-cdk-lib@$(version aws-cdk-lib)" "constructs@$(version constructs)" "esbuild@$(version esbuild)"
cp "$root/scripts/scratch-app.js" app.js
node app.js
# The installed command, from dist/cli: the demo needs nothing but the package's own dependencies.
test "$(npx --no-install ecs-pid-mode --version)" = "$(node -p "require('$root/package.json').version")"
npx --no-install ecs-pid-mode demo | grep -q '^Next, on your own account'
echo "the installed ecs-pid-mode command runs"
