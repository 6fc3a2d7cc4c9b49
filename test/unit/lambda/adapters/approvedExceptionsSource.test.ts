import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { exceptionsDigest, SsmExceptionsSource } from "../../../../lambda/adapters/approvedExceptionsSource";
import { InvocationDeadline } from "../../../../lambda/util/deadline";
import { awsError } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: "us-east-1" });
const deployed = JSON.stringify([
  { taskDefinition: "agent", owner: "platform", expires: "2027-01-31", reason: "node agent" },
]);
const named = (options: { expectedSha256?: string; ttlMs?: number; deadline?: InvocationDeadline } = {}) => ({
  parameterName: "/rule/exceptions",
  expectedSha256: options.expectedSha256,
  ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
  ...(options.deadline === undefined ? {} : { deadline: options.deadline }),
});

beforeEach(() => ssm.reset());

describe("loading exceptions", () => {
  it("has none and reads nothing when no parameter is named", async () => {
    const source = new SsmExceptionsSource(client(), new FakeClock(), {
      parameterName: undefined,
      expectedSha256: undefined,
    });
    expect(await source.load()).toEqual({ status: "none" });
    expect(ssm.calls()).toHaveLength(0);
  });

  it("returns the value whose digest is the deployed one and keeps it for the cache period", async () => {
    ssm.on(GetParameterCommand, { Name: "/rule/exceptions" }).resolves({ Parameter: { Value: deployed } });
    const clock = new FakeClock();
    const source = new SsmExceptionsSource(
      client(),
      clock,
      named({ expectedSha256: exceptionsDigest(deployed), ttlMs: 60_000 }),
    );
    expect(await source.load()).toEqual({ status: "read", text: deployed });
    clock.advance(59_000);
    await source.load();
    expect(ssm.calls()).toHaveLength(1);
    clock.advance(2_000);
    await source.load();
    expect(ssm.calls()).toHaveLength(2);
  });

  it("reports a value edited outside the pipeline as tampered, naming both digests", async () => {
    const edited = deployed.replace("2027-01-31", "9999-12-31");
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: edited } });
    const found = await new SsmExceptionsSource(
      client(),
      new FakeClock(),
      named({ expectedSha256: exceptionsDigest(deployed) }),
    ).load();
    expect(found).toMatchObject({ status: "unverifiable", problem: "tampered" });
    expect(found.status === "unverifiable" && found.detail).toContain(exceptionsDigest(edited));
    expect(found.status === "unverifiable" && found.detail).toContain(exceptionsDigest(deployed));
  });

  it("reads the tampered parameter again on the next load rather than keeping the verdict", async () => {
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: "[]" } })
      .resolves({ Parameter: { Value: deployed } });
    const source = new SsmExceptionsSource(
      client(),
      new FakeClock(),
      named({ expectedSha256: exceptionsDigest(deployed) }),
    );
    expect((await source.load()).status).toBe("unverifiable");
    expect((await source.load()).status).toBe("read");
  });

  it("accepts any value when no digest was deployed (a hand deployment)", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "[]" } });
    expect(await new SsmExceptionsSource(client(), new FakeClock(), named()).load()).toEqual({
      status: "read",
      text: "[]",
    });
  });

  it("reports a parameter it cannot read as unreadable, naming the parameter and the error", async () => {
    ssm.on(GetParameterCommand).rejects(awsError("ParameterNotFound", "not found"));
    const found = await new SsmExceptionsSource(client(), new FakeClock(), named()).load();
    expect(found).toMatchObject({ status: "unverifiable", problem: "unreadable" });
    expect(found.status === "unverifiable" && found.detail).toMatch(
      /cannot read the parameter \/rule\/exceptions: ParameterNotFound/,
    );
  });

  it("stops retrying a throttled read once the invocation is in its reserve", async () => {
    ssm.on(GetParameterCommand).rejects(awsError("ThrottlingException", "Rate exceeded"));
    const deadline = new InvocationDeadline();
    deadline.start(() => 60_000, { reserveMs: 60_000, finalMarginMs: 25_000 });
    const found = await new SsmExceptionsSource(client(), new FakeClock(), named({ deadline })).load();
    expect(found).toMatchObject({ status: "unverifiable", problem: "unreadable" });
    expect(ssm.calls()).toHaveLength(1);
  });

  it("refuses a deployed digest that is not 64 lower-case hex digits, naming the variable", () => {
    expect(
      () => new SsmExceptionsSource(client(), new FakeClock(), named({ expectedSha256: "ABC" })),
    ).toThrow(/EXCEPTIONS_SHA256 must be 64 lower-case hex digits, got "ABC"/);
  });
});
