import { parseScanArguments, UsageError } from "../../../cli/scan/arguments";

describe("the scan's command line", () => {
  it("defaults to the SDK's Region and profile, a table, no exceptions and no fix plan", () => {
    expect(parseScanArguments([])).toEqual({
      profile: undefined,
      regions: [],
      exceptionsFile: undefined,
      json: false,
      fixPlan: false,
      production: [],
      batchSize: 10,
      outDirectory: undefined,
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
      ]),
    ).toEqual({
      profile: "audit",
      regions: ["eu-west-1"],
      exceptionsFile: "exceptions.json",
      json: true,
      fixPlan: true,
      production: ["cluster:^prod-", "tag:env=^live"],
      batchSize: 3,
      outDirectory: "plan",
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

  it("accepts GovCloud and China Region names", () => {
    expect(parseScanArguments(["--region", "us-gov-west-1,cn-north-1"]).regions).toEqual([
      "us-gov-west-1",
      "cn-north-1",
    ]);
  });

  it.each([
    [["--region", "Ireland"], '"Ireland" is not a Region name'],
    [["--region"], "--region"],
    [["--bogus"], "--bogus"],
    [["us-east-1"], 'unexpected argument "us-east-1"'],
    [["--profile", " "], "--profile needs a name"],
    [["--exceptions="], "--exceptions needs a file"],
    [["--json=yes"], "--json"],
  ])("rejects %j with a usage error that says why", (argv, why) => {
    expect(() => parseScanArguments(argv)).toThrow(UsageError);
    expect(() => parseScanArguments(argv)).toThrow(why);
  });

  it("recognises --help and -h", () => {
    expect(parseScanArguments(["--help"]).help).toBe(true);
    expect(parseScanArguments(["-h"]).help).toBe(true);
  });
});
