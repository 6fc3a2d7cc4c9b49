import {
  CONFIG_INVOKE_SID,
  configInvokePolicy,
  invokePolicyBytes,
  LAMBDA_POLICY_LIMIT_BYTES,
  LONGEST_FUNCTION_ARN,
  MAX_INVOKE_POLICY_ACCOUNTS,
  POLICY_HEADROOM_BYTES,
  policyBytes,
  samePolicy,
} from "../../../../lambda/core/invokePolicy";

const ARN = "arn:aws:lambda:eu-west-1:111111111111:function:rule";

/** The policy document letting AWS Config invoke ARN on the condition `sourceAccount` (its key spelt as given). */
function invokeDocument(sourceAccount: Record<string, string[]>) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: CONFIG_INVOKE_SID,
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "lambda:InvokeFunction",
        Resource: ARN,
        Condition: { StringEquals: sourceAccount },
      },
    ],
  };
}

describe("the central function's invoke policy", () => {
  it("is one statement letting only AWS Config of the listed accounts invoke the function", () => {
    expect(configInvokePolicy(ARN, "111111111111", ["333333333333", "222222222222"])).toEqual(
      invokeDocument({ "aws:SourceAccount": ["111111111111", "222222222222", "333333333333"] }),
    );
  });

  it("gives the same text for the same set of accounts, whatever their order, repeats or the rule account among them", () => {
    const a = configInvokePolicy(ARN, "111111111111", ["333333333333", "222222222222"]);
    const b = configInvokePolicy(ARN, "111111111111", [
      "222222222222",
      "111111111111",
      "333333333333",
      "222222222222",
    ]);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it("measures one account more at 15 bytes and the largest policy within Lambda's 20 KB less the headroom", () => {
    expect(invokePolicyBytes(2) - invokePolicyBytes(1)).toBe(15);
    expect(MAX_INVOKE_POLICY_ACCOUNTS).toBe(1336);
    expect(invokePolicyBytes(MAX_INVOKE_POLICY_ACCOUNTS)).toBeLessThanOrEqual(
      LAMBDA_POLICY_LIMIT_BYTES - POLICY_HEADROOM_BYTES,
    );
    expect(invokePolicyBytes(MAX_INVOKE_POLICY_ACCOUNTS + 1)).toBeGreaterThan(
      LAMBDA_POLICY_LIMIT_BYTES - POLICY_HEADROOM_BYTES,
    );
  });

  it("is measured at the longest function ARN the stack can produce", () => {
    const ids = ["111111111111", "222222222222"];
    expect(invokePolicyBytes(2)).toBe(
      policyBytes(configInvokePolicy(LONGEST_FUNCTION_ARN, ids[0] as string, ids)),
    );
    expect(invokePolicyBytes(2)).toBeGreaterThan(policyBytes(configInvokePolicy(ARN, ids[0] as string, ids)));
  });
});

describe("comparing the held policy with the wanted one", () => {
  const wanted = configInvokePolicy(ARN, "111111111111", ["222222222222", "333333333333"]);

  it("finds the same policy as Lambda returns it: an Id added, the key in upper case, the values in another order", () => {
    const held = {
      ...invokeDocument({ "AWS:SourceAccount": ["333333333333", "111111111111", "222222222222"] }),
      Id: "default",
    };
    expect(samePolicy(JSON.stringify(held), wanted)).toBe(true);
  });

  it("finds a different policy when an account is missing, one is extra, or another statement is held", () => {
    const fewer = configInvokePolicy(ARN, "111111111111", ["222222222222"]);
    const more = configInvokePolicy(ARN, "111111111111", ["222222222222", "333333333333", "444444444444"]);
    expect(samePolicy(JSON.stringify(fewer), wanted)).toBe(false);
    expect(samePolicy(JSON.stringify(more), wanted)).toBe(false);
    const extra = structuredClone(wanted) as unknown as { Statement: unknown[] };
    extra.Statement.push({ Sid: "Other", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction" });
    expect(samePolicy(JSON.stringify(extra), wanted)).toBe(false);
  });

  it("finds no policy, unreadable text or a document without statements different", () => {
    expect(samePolicy(undefined, wanted)).toBe(false);
    expect(samePolicy("{not json", wanted)).toBe(false);
    expect(samePolicy("null", wanted)).toBe(false);
    expect(samePolicy(JSON.stringify({ Version: "2012-10-17" }), wanted)).toBe(false);
  });

  it("takes a single condition value held as a string for a one-element list", () => {
    const one = configInvokePolicy(ARN, "111111111111", []);
    const held = structuredClone(one) as unknown as {
      Statement: [{ Condition: { StringEquals: Record<string, unknown> } }];
    };
    held.Statement[0].Condition.StringEquals["aws:SourceAccount"] = "111111111111";
    expect(samePolicy(JSON.stringify(held), one)).toBe(true);
  });
});
