// ECS Managed Daemons name four kinds of resource by ARN (the SDK's command documentation):
// `daemon/CLUSTER/NAME`, `daemon-revision/CLUSTER/NAME/ID`, `daemon-deployment/CLUSTER/NAME/ID` and
// `daemon-task-definition/FAMILY:REV` (the last is a revision, `taskDefinitionRef.ts`). What `DescribeTasks`
// reports for a daemon task is undocumented, so any of them may turn up there.

export type DaemonResourceKind = "daemon" | "daemon-revision" | "daemon-deployment";

export interface DaemonResource {
  readonly kind: DaemonResourceKind;
  readonly cluster: string;
  /** The daemon's name. */
  readonly name: string;
  /** The revision's or deployment's id. */
  readonly id?: string;
}

const DAEMON_ARN =
  /^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\d*:(daemon|daemon-revision|daemon-deployment)\/([^/]+)\/([^/]+)(?:\/([^/]+))?$/;

/** A daemon, daemon revision or daemon deployment ARN, with its parts; `undefined` for anything else. */
export function parseDaemonResourceArn(arn: string): DaemonResource | undefined {
  const match = DAEMON_ARN.exec(arn);
  if (!match) return undefined;
  const kind = match[1] as DaemonResourceKind;
  const id = match[4];
  // A daemon ARN has two path segments, a revision or deployment ARN three.
  if ((kind === "daemon") !== (id === undefined)) return undefined;
  return {
    kind,
    cluster: match[2] as string,
    name: match[3] as string,
    ...(id === undefined ? {} : { id }),
  };
}

/** Whether an ARN names any daemon resource, a daemon task definition revision included. */
export function namesDaemonResource(arn: string): boolean {
  return (
    parseDaemonResourceArn(arn) !== undefined ||
    /^arn:aws[a-z-]*:ecs:[a-z0-9-]*:\d*:daemon-task-definition\//.test(arn)
  );
}
