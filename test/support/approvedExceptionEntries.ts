/**
 * What the synth-time tests' node agent is approved with: platform-observability's node exporter, allowed the
 * host's process namespace until 2027-03-31. An entry adds its target (`taskDefinition` or `daemonTaskDefinition`).
 */
export const NODE_AGENT_APPROVAL = {
  owner: "platform-observability",
  expires: "2027-03-31",
  reason: "node exporter reads every process on the host",
} as const;
