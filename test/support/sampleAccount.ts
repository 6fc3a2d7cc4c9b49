import type { SimAccount } from "../../sim/account";

/**
 * prod runs a host-PID service (web:3), a clean service (batch:1) and an exempt agent (agent:2);
 * dev runs a deregistered host-PID revision (old:1). idle:1 uses host PID but nothing runs it.
 */
export const sampleAccount: Pick<SimAccount, "clusters" | "revisions"> = {
  clusters: [
    {
      name: "prod",
      tasks: [
        { id: "web-a", taskDefinition: "web:3", service: "api" },
        { id: "web-b", taskDefinition: "web:3", service: "api" },
        { id: "batch-a", taskDefinition: "batch:1", service: "worker" },
        { id: "agent-a", taskDefinition: "agent:2" },
      ],
    },
    { name: "dev", tasks: [{ id: "old-a", taskDefinition: "old:1" }] },
    { name: "empty", tasks: [] },
  ],
  revisions: [
    { family: "web", revision: 3, pidMode: "host" },
    { family: "web", revision: 4 },
    { family: "batch", revision: 1, pidMode: "task" },
    { family: "agent", revision: 2, pidMode: "host" },
    { family: "old", revision: 1, pidMode: "host", status: "INACTIVE" },
    { family: "idle", revision: 1, pidMode: "host" },
  ],
};

export const agentException = {
  taskDefinition: "agent",
  owner: "platform-team",
  expires: "2027-06-30",
  reason: "node metrics agent",
};
