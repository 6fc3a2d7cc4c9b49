import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { SsmExceptionsSource } from "../../../../lambda/adapters/exceptionsSource";
import { awsError } from "../../../support/awsErrors";
import { FakeClock } from "../../../support/fakeClock";

const ssm = mockClient(SSMClient);
const client = () => new SSMClient({ region: "us-east-1" });
const valid = [{ taskDefinition: "agent", owner: "platform", expires: "2027-01-31", reason: "node agent" }];

beforeEach(() => ssm.reset());

describe("loading exceptions", () => {
  it("has none and reads nothing when no parameter is named", async () => {
    const list = await new SsmExceptionsSource(client(), undefined, new FakeClock()).load();
    expect(list.approved).toEqual([]);
    expect(ssm.calls()).toHaveLength(0);
  });

  it("parses the parameter's JSON array and keeps it for the cache period", async () => {
    ssm
      .on(GetParameterCommand, { Name: "/rule/exceptions" })
      .resolves({ Parameter: { Value: JSON.stringify(valid) } });
    const clock = new FakeClock();
    const source = new SsmExceptionsSource(client(), "/rule/exceptions", clock, 60_000);
    expect((await source.load()).approved.map((exception) => exception.owner)).toEqual(["platform"]);
    clock.advance(59_000);
    await source.load();
    expect(ssm.calls()).toHaveLength(1);
    clock.advance(2_000);
    await source.load();
    expect(ssm.calls()).toHaveLength(2);
  });

  it("fails loudly, naming the parameter, when it cannot be read", async () => {
    ssm.on(GetParameterCommand).rejects(awsError("ParameterNotFound", "not found"));
    await expect(
      new SsmExceptionsSource(client(), "/rule/exceptions", new FakeClock()).load(),
    ).rejects.toThrow(/cannot read the exceptions parameter \/rule\/exceptions: ParameterNotFound/);
  });

  it("fails loudly when the parameter is not JSON", async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: "web until friday" } });
    await expect(
      new SsmExceptionsSource(client(), "/rule/exceptions", new FakeClock()).load(),
    ).rejects.toThrow(/is not JSON/);
  });
});
