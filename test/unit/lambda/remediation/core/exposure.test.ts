import {
  classifyExposure,
  describeExposure,
  type ExposureFacts,
} from "../../../../../lambda/remediation/core/exposure";

const nothing: ExposureFacts = { loadBalancers: [], taskPublicIps: [], instancePublicIps: [], unread: [] };

describe("internet exposure", () => {
  it.each<[string, Partial<ExposureFacts>, string]>([
    [
      "an internet-facing load balancer",
      { loadBalancers: [{ loadBalancer: "public-alb", targetGroup: "web", scheme: "internet-facing" }] },
      "internet-facing load balancer public-alb (target group web)",
    ],
    [
      "a service that assigns public IPs",
      { assignPublicIp: "ENABLED" },
      "the service assigns public IPs (assignPublicIp ENABLED)",
    ],
    [
      "a task with a public IP",
      { taskPublicIps: [{ task: "0a1b", publicIp: "203.0.113.7" }] },
      "task 0a1b has public IP 203.0.113.7",
    ],
    [
      "a container instance with a public IP",
      { instancePublicIps: [{ task: "0a1b", instanceId: "i-0abc", publicIp: "198.51.100.2" }] },
      "task 0a1b runs on instance i-0abc with public IP 198.51.100.2",
    ],
  ])("is exposed through %s, and says so", (_, facts, evidence) => {
    const exposure = classifyExposure({ ...nothing, ...facts });
    expect(exposure.status).toBe("exposed");
    expect(describeExposure(exposure)).toBe(evidence);
  });

  it("names every piece of evidence when there are several", () => {
    const exposure = classifyExposure({
      ...nothing,
      assignPublicIp: "ENABLED",
      taskPublicIps: [{ task: "t1", publicIp: "203.0.113.1" }],
    });
    expect(exposure.status === "exposed" && exposure.evidence.map((entry) => entry.kind)).toEqual([
      "service-assigns-public-ip",
      "task-public-ip",
    ]);
  });

  it.each<[string, Partial<ExposureFacts>]>([
    ["nothing", {}],
    [
      "an internal load balancer",
      { loadBalancers: [{ loadBalancer: "inner", targetGroup: "tg", scheme: "internal" }] },
    ],
    ["assignPublicIp DISABLED", { assignPublicIp: "DISABLED" }],
  ])("is not exposed with %s", (_, facts) => {
    expect(classifyExposure({ ...nothing, ...facts })).toEqual({ status: "not-exposed" });
  });

  it("is unknown when a load balancer's scheme or another part could not be read", () => {
    const exposure = classifyExposure({
      ...nothing,
      loadBalancers: [{ loadBalancer: "lb", targetGroup: "tg", scheme: undefined }],
      unread: ["network interface eni-1"],
    });
    expect(exposure).toEqual({
      status: "unknown",
      unread: ["network interface eni-1", "scheme of load balancer lb"],
    });
  });

  it("is exposed when evidence was found, even if another part could not be read", () => {
    expect(classifyExposure({ ...nothing, assignPublicIp: "ENABLED", unread: ["x"] }).status).toBe("exposed");
  });
});
