import { parseScanArguments } from "../../../../cli/scan/arguments";
import { UsageError } from "../../../../cli/shared/command";

describe("the scan's command line", () => {
  it("defaults to the SDK's Region and profile, a table, the list's own maximum and no fix plan", () => {
    expect(parseScanArguments([])).toEqual({
      profile: undefined,
      profiles: [],
      organizationRole: undefined,
      endpointUrl: undefined,
      debug: false,
      quiet: false,
      noColor: false,
      regions: [],
      exceptionsFile: undefined,
      output: "table",
      fixPlan: false,
      production: [],
      batchSize: 10,
      outDirectory: undefined,
      maxExceptionDays: undefined,
      help: false,
    });
  });

  it("reads every option", () => {
    expect(
      parseScanArguments([
        "--profile",
        "audit",
        "--region",
        "eu-west-1",
        "--exceptions",
        "exceptions.json",
        "--json",
        "--fix-plan",
        "--production",
        "cluster:^prod-",
        "--production=tag:env=^live",
        "--batch-size",
        "3",
        "--out",
        "plan",
        "--max-exception-days",
        "90",
      ]),
    ).toEqual({
      profile: "audit",
      profiles: ["audit"],
      organizationRole: undefined,
      endpointUrl: undefined,
      debug: false,
      quiet: false,
      noColor: false,
      regions: ["eu-west-1"],
      exceptionsFile: "exceptions.json",
      output: "json",
      fixPlan: true,
      production: ["cluster:^prod-", "tag:env=^live"],
      batchSize: 3,
      outDirectory: "plan",
      maxExceptionDays: 90,
      help: false,
    });
  });

  it.each([["0"], ["-1"], ["2.5"], ["ten"]])("refuses --batch-size %s", (size) => {
    expect(() => parseScanArguments(["--fix-plan", "--batch-size", size])).toThrow(UsageError);
  });

  it("takes several Regions from repeated flags and comma lists, each once", () => {
    expect(
      parseScanArguments([
        "--region",
        "us-east-1",
        "--region=eu-west-1,ap-southeast-2",
        "--region",
        "us-east-1",
      ]).regions,
    ).toEqual(["us-east-1", "eu-west-1", "ap-southeast-2"]);
  });

  it("accepts every partition's Region names: GovCloud, China and the European Sovereign Cloud", () => {
    expect(parseScanArguments(["--region", "us-gov-west-1,cn-north-1,eusc-de-east-1"]).regions).toEqual([
      "us-gov-west-1",
      "cn-north-1",
      "eusc-de-east-1",
    ]);
  });

  it.each([
    [["--region", "Ireland"], '"Ireland" is not a Region name'],
    [["--region"], "--region"],
    [["--bogus"], "--bogus"],
    [["us-east-1"], 'unexpected argument "us-east-1"'],
    [["--profile", " "], "--profile needs a value"],
    [["--exceptions="], "--exceptions needs a value"],
    [["--region", "eu-west-9"], '"eu-west-9" is not a Region the AWS SDK knows'],
    [["--region", "xx-east-1"], '"xx-east-1" is not a Region the AWS SDK knows'],
    [["--max-exception-days", "0"], "--max-exception-days must be a whole number from 1"],
    [["--json=yes"], "--json"],
    [["--output", "yaml"], '--output "yaml": must be one of table, json, csv, asff'],
    [["--output", "JSON"], '--output "JSON": must be one of'],
    [["--output"], "--output"],
    [["--json", "--output", "csv"], "--json and --output csv disagree"],
    [["--output", "csv", "--fix-plan"], "--output csv carries no fix plan: with --fix-plan, give --out DIR"],
    [["--output", "asff", "--fix-plan"], "--output asff carries no fix plan"],
  ])("rejects %j with a usage error that says why", (argv, why) => {
    expect(() => parseScanArguments(argv)).toThrow(UsageError);
    expect(() => parseScanArguments(argv)).toThrow(why);
  });

  it.each([
    [["--output", "table"], "table"],
    [["--output", "json"], "json"],
    [["--output=csv"], "csv"],
    [["--output", "asff"], "asff"],
    [["--json"], "json"],
    [["--json", "--output", "json"], "json"],
    [["--output", "csv", "--fix-plan", "--out", "plan"], "csv"],
  ])("reads %j as the output format %s", (argv, format) => {
    expect(parseScanArguments(argv).output).toBe(format);
  });

  it("recognises --help and -h", () => {
    expect(parseScanArguments(["--help"]).help).toBe(true);
    expect(parseScanArguments(["-h"]).help).toBe(true);
  });
});
