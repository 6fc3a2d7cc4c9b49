import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { clients } from "./bareHandler";

/** The bare handler plus the two Powertools utilities the rule builds at load: what they alone cost. */
const utilities = [
  new Logger({ serviceName: "bare" }),
  new Metrics({ namespace: "Bare", serviceName: "bare" }),
];

export const handler = async (): Promise<{ clients: number }> => ({
  clients: clients.length + utilities.length,
});
