import {
  ACCOUNT_ID_PATTERN,
  FAMILY_SHAPE,
  MessageType,
  REGION_PATTERN,
  ROLE_NAME_PATTERN,
} from "../../../../lambda/core/identifiers";
import { parseRuleEvent } from "../../../../lambda/event";
import scheduled from "../../../fixtures/config/scheduled.json";

describe("the shapes AWS defines", () => {
  it.each(["eu-west-1", "us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-10", "eusc-de-east-1"])(
    "accept the Region name %s",
    (region) => {
      expect(REGION_PATTERN.test(region)).toBe(true);
    },
  );

  it.each(["", "EU-WEST-1", "eu-west", "euwest1", "eu-west-1a", "eu-west-1 ", "arn:aws:iam::1"])(
    "refuse %j as a Region name",
    (region) => {
      expect(REGION_PATTERN.test(region)).toBe(false);
    },
  );

  it("take twelve digits, and nothing else, as an account id", () => {
    expect(ACCOUNT_ID_PATTERN.test("123456789012")).toBe(true);
    for (const id of ["12345678901", "1234567890123", "12345678901a", " 123456789012"])
      expect(ACCOUNT_ID_PATTERN.test(id)).toBe(false);
  });

  it("take IAM role names of 1 to 64 of A-Za-z0-9+=,.@_-, without a path", () => {
    expect(ROLE_NAME_PATTERN.test("EcsPidModeRuleExecution")).toBe(true);
    expect(ROLE_NAME_PATTERN.test("a+b=c,d.e@f_g-h")).toBe(true);
    expect(ROLE_NAME_PATTERN.test("x".repeat(64))).toBe(true);
    for (const name of ["", "x".repeat(65), "path/Role", "role name"])
      expect(ROLE_NAME_PATTERN.test(name)).toBe(false);
  });

  it("take task definition families of 1 to 255 letters, digits, hyphens and underscores", () => {
    const family = new RegExp(`^${FAMILY_SHAPE}$`);
    expect(family.test("web_app-2")).toBe(true);
    expect(family.test("x".repeat(255))).toBe(true);
    for (const name of ["", "x".repeat(256), "web:3", "web.app"]) expect(family.test(name)).toBe(false);
  });

  it("name every message type the event parser accepts, and the parser names them all when one is wrong", () => {
    const invoking = JSON.parse(scheduled.invokingEvent) as Record<string, unknown>;
    expect(Object.values(MessageType)).toContain(invoking.messageType);
    const wrong = structuredClone(scheduled);
    wrong.invokingEvent = JSON.stringify({ ...invoking, messageType: "SomethingElse" });
    expect(() => parseRuleEvent(wrong)).toThrow(Object.values(MessageType).join(", "));
  });
});
