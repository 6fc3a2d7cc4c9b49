import { ListClustersCommand } from "@aws-sdk/client-ecs";
import { sdkClients } from "../../../../cli/shared/clients";
import { serveOnLoopback } from "../../../../sim/httpServer";

describe("--debug and --endpoint-url on the commands' SDK clients", () => {
  it("sends every request to the endpoint URL and prints one line per request, without its body", async () => {
    const server = await serveOnLoopback({
      ecs: () => ({ clusterArns: ["arn:aws:ecs:eu-west-1:1:cluster/x"] }),
    });
    const lines: string[] = [];
    const saved = { ...process.env };
    try {
      const clients = sdkClients(undefined, { endpointUrl: server.url, debug: (line) => lines.push(line) });
      const ecs = clients.ecs("eu-west-1") as unknown as {
        send(command: ListClustersCommand): Promise<{ clusterArns?: string[] }>;
      };
      process.env.AWS_ACCESS_KEY_ID = "testing";
      process.env.AWS_SECRET_ACCESS_KEY = "testing";
      const answer = await ecs.send(new ListClustersCommand({}));
      expect(answer.clusterArns).toEqual(["arn:aws:ecs:eu-west-1:1:cluster/x"]);
    } finally {
      process.env = saved;
      await server.close();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^debug: ECS ListClusters -> 200 in \d+ ms\n$/);
  });
});
