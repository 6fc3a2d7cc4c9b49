import { parseServiceArn } from "../../../../lambda/core/services";

describe("service ARNs", () => {
  it("reads cluster and name from a new-format service ARN", () => {
    expect(parseServiceArn("arn:aws:ecs:us-east-1:111111111111:service/prod/api")).toEqual({
      cluster: "prod",
      name: "api",
    });
  });

  it("reads only the name from an old-format service ARN", () => {
    expect(parseServiceArn("arn:aws:ecs:us-east-1:111111111111:service/api")).toEqual({ name: "api" });
  });

  it("refuses what is not a service ARN", () => {
    expect(parseServiceArn("api")).toBeUndefined();
  });
});
