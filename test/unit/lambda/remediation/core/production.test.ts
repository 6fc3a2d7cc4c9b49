import { ProductionRuleError } from "../../../../../lambda/errors";
import {
  classifyProduction,
  DEFAULT_PRODUCTION_RULES,
  type ProductionFacts,
  parseProductionRule,
} from "../../../../../lambda/remediation/core/production";

const tag = (key: string, value: string) => ({ key, value });

describe("the default production rule", () => {
  it.each<[string, ProductionFacts, string, string]>([
    [
      "an environment tag on the service",
      {
        cluster: "c",
        serviceTags: [tag("environment", "production")],
        taskDefinitionTags: [],
        clusterTags: [],
      },
      "production",
      "service tag environment=production",
    ],
    [
      "an env tag on the task definition",
      { cluster: "c", serviceTags: [], taskDefinitionTags: [tag("env", "prod-eu")], clusterTags: [] },
      "production",
      "task definition tag env=prod-eu",
    ],
    [
      "a stage tag on the cluster",
      { cluster: "c", serviceTags: [], taskDefinitionTags: [], clusterTags: [tag("stage", "Prod")] },
      "production",
      "cluster tag stage=Prod",
    ],
    [
      "a capitalised key",
      { cluster: "c", serviceTags: [tag("Environment", "prod")], taskDefinitionTags: [], clusterTags: [] },
      "production",
      "service tag Environment=prod",
    ],
    [
      "another environment",
      { cluster: "c", serviceTags: [tag("environment", "staging")], taskDefinitionTags: [], clusterTags: [] },
      "not-production",
      "service tag environment=staging",
    ],
    [
      "a value that only contains prod",
      { cluster: "c", serviceTags: [tag("env", "preprod")], taskDefinitionTags: [], clusterTags: [] },
      "not-production",
      "service tag env=preprod",
    ],
  ])("reads %s", (_, facts, status, evidence) => {
    expect(classifyProduction(DEFAULT_PRODUCTION_RULES, facts)).toEqual({ status, evidence });
  });

  it("takes production from any source even when another says otherwise", () => {
    const facts = {
      cluster: "c",
      serviceTags: [tag("env", "dev")],
      taskDefinitionTags: [],
      clusterTags: [tag("env", "prod")],
    };
    expect(classifyProduction(DEFAULT_PRODUCTION_RULES, facts).status).toBe("production");
  });

  it("says unknown, not production, when no source has such a tag", () => {
    const facts = {
      cluster: "prod",
      serviceTags: [tag("team", "web")],
      taskDefinitionTags: [],
      clusterTags: [],
    };
    expect(classifyProduction(DEFAULT_PRODUCTION_RULES, facts)).toEqual({
      status: "unknown",
      why: "no tag or cluster name the production rule looks at",
    });
  });

  it("says unknown and names what was not read when tags could not be read", () => {
    expect(classifyProduction(DEFAULT_PRODUCTION_RULES, { cluster: "c", serviceTags: [] })).toEqual({
      status: "unknown",
      why: "no production tag found; not read: task definition tags, cluster tags",
    });
  });
});

describe("a production rule the user sets", () => {
  it.each([
    ["cluster:^prod-", "prod-eu", "production"],
    ["cluster:^prod-", "production", "not-production"],
    ["tag:owner=^payments$", "prod-eu", "production"],
  ])("%s decides for cluster %s", (option, cluster, status) => {
    const facts = {
      cluster,
      serviceTags: [tag("owner", "payments")],
      taskDefinitionTags: [],
      clusterTags: [],
    };
    expect(classifyProduction([parseProductionRule(option)], facts).status).toBe(status);
  });

  it("reads a tag rule whose pattern holds an equals sign", () => {
    expect(parseProductionRule("tag:tier=a=b")).toEqual({ source: "tag", key: "tier", value: /a=b/ });
  });

  it.each([["tag:environment"], ["tag:=prod"], ["tag:env="], ["cluster:"], ["name:prod"], ["cluster:("]])(
    "refuses %s with an error naming the option",
    (option) => {
      expect(() => parseProductionRule(option)).toThrow(ProductionRuleError);
      expect(() => parseProductionRule(option)).toThrow(`production rule ${JSON.stringify(option)}`);
    },
  );
});
