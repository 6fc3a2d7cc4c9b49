export const ACCOUNT = "111111111111";
export const REGION = "us-east-1";

export const clusterArn = (name: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}`;
export const taskArn = (cluster: string, id: string) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:task/${cluster}/${id}`;
export const revisionArn = (label: string) => `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${label}`;
