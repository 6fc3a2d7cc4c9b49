import { DEFAULT_JOURNAL, parseRemediateArguments } from "../../../../cli/remediate/arguments";
import { UsageError } from "../../../../cli/shared/command";

describe("the remediation's command line", () => {
  it("is a dry run of one wave by default, with batches of 10 and the journal in the working directory", () => {
    expect(parseRemediateArguments(["--wave", "2"])).toMatchObject({
      wave: 2,
      batch: undefined,
      batchSize: 10,
      apply: false,
      yes: false,
      journalFile: DEFAULT_JOURNAL,
      rolloutTimeoutMinutes: 30,
      regions: [],
    });
  });

  it("reads every option", () => {
    expect(
      parseRemediateArguments([
        "--wave=1",
        "--batch",
        "2",
        "--batch-size",
        "5",
        "--region",
        "eu-west-1,us-east-1",
        "--profile",
        "ops",
        "--exceptions",
        "ex.json",
        "--production",
        "cluster:^prod-",
        "--journal",
        "j.json",
        "--out",
        "plan",
        "--rollout-timeout",
        "45",
        "--apply",
        "--yes",
        "--max-exception-days",
        "30",
      ]),
    ).toEqual({
      wave: 1,
      batch: 2,
      batchSize: 5,
      regions: ["eu-west-1", "us-east-1"],
      profile: "ops",
      profiles: ["ops"],
      endpointUrl: undefined,
      debug: false,
      quiet: false,
      noColor: false,
      exceptionsFile: "ex.json",
      production: ["cluster:^prod-"],
      journalFile: "j.json",
      outDirectory: "plan",
      rolloutTimeoutMinutes: 45,
      apply: true,
      yes: true,
      maxExceptionDays: 30,
      help: false,
    });
  });

  it.each([
    [[], "--wave N is required"],
    [["--wave", "5"], "--wave must be a whole number from 1 to 4"],
    [["--wave", "1", "--batch", "0"], "--batch must be a whole number from 1"],
    [["--wave", "1", "--yes"], "--yes goes with --apply"],
    [["--wave", "1", "--region", "mars"], '"mars" is not a Region name'],
    [["--wave", "1", "--journal", " "], "--journal needs a value"],
    [["--wave", "1", "--force"], "unknown option --force"],
    [["--wave", "1", "--profile", "a", "--profile", "b"], "remediate acts on one account at a time"],
  ])("refuses %j", (argv, message) => {
    expect(() => parseRemediateArguments(argv)).toThrow(UsageError);
    expect(() => parseRemediateArguments(argv)).toThrow(message);
  });
});
