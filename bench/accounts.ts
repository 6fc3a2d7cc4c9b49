import type { SimAccount, SimCluster, SimRevision, SimTask } from "../sim/account";

/** The sizes the issue names. Families are one per in-use revision, so every recorded family gets an event. */
export interface AccountProfile {
  readonly name: string;
  readonly clusters: number;
  readonly runningTasks: number;
  readonly revisions: number;
  readonly inUseRevisions: number;
  readonly families: number;
  /**
   * Tasks per service: each family's tasks in a cluster are split into services of this many tasks.
   * @default - one service per family and cluster
   */
  readonly tasksPerService?: number;
}

export const PROFILES: readonly AccountProfile[] = [
  { name: "small", clusters: 10, runningTasks: 500, revisions: 5_000, inUseRevisions: 50, families: 50 },
  {
    name: "medium",
    clusters: 200,
    runningTasks: 10_000,
    revisions: 100_000,
    inUseRevisions: 1_000,
    families: 1_000,
  },
  {
    name: "large",
    clusters: 1_000,
    runningTasks: 50_000,
    revisions: 1_000_000,
    inUseRevisions: 5_000,
    families: 5_000,
  },
];

/** Accounts of many small services (about one per task): where DescribeServices is the busiest bucket. */
export const SERVICE_HEAVY_PROFILES: readonly AccountProfile[] = PROFILES.filter(
  (profile) => profile.name !== "small",
).map((profile) => ({ ...profile, name: `${profile.name}, a service per task`, tasksPerService: 1 }));

/** A small deterministic generator (mulberry32), so every run builds the same account. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `total` over `weights` in whole numbers that add up to `total` exactly. */
function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const shares = weights.map((weight) => Math.floor((total * weight) / sum));
  let left = total - shares.reduce((a, b) => a + b, 0);
  for (let index = 0; left > 0; index = (index + 1) % shares.length, left--)
    shares[index] = (shares[index] ?? 0) + 1;
  return shares;
}

const familyName = (index: number) => `app-${String(index).padStart(5, "0")}`;

/**
 * The in-use revisions of family `index`: 8 families in 10 run their latest revision, 1 in 10 is mid-deploy
 * (latest and an old one), 1 in 10 runs nothing. Every other mid-deploy family's old revision is deregistered.
 */
function inUseOfFamily(index: number, latest: number): { revision: number; deregistered: boolean }[] {
  switch (index % 10) {
    case 8:
      return [
        { revision: latest, deregistered: false },
        { revision: Math.max(1, Math.floor(latest / 2)), deregistered: index % 20 === 8 },
      ];
    case 9:
      return [];
    default:
      return [{ revision: latest, deregistered: false }];
  }
}

export interface GeneratedAccount {
  readonly profile: AccountProfile;
  readonly account: SimAccount;
  /** `family:revision` of every revision a RUNNING task uses. */
  readonly inUse: readonly string[];
}

/**
 * A skewed account: a few big clusters and many small or empty ones (Zipf-like sizes, 30% empty), most
 * revisions unused, the oldest tenth of each family deregistered, 1 family in 25 running `pidMode: host`.
 */
export function generateAccount(profile: AccountProfile): GeneratedAccount {
  const random = seededRandom(profile.clusters * 7919 + profile.revisions);
  const perFamily = Math.floor(profile.revisions / profile.families);
  const revisions: SimRevision[] = [];
  const inUse: string[] = [];
  for (let index = 0; index < profile.families; index++) {
    const family = familyName(index);
    const used = inUseOfFamily(index, perFamily);
    const deregistered = new Set(used.filter((use) => use.deregistered).map((use) => use.revision));
    for (let revision = 1; revision <= perFamily; revision++) {
      const inactive = revision <= perFamily / 10 || deregistered.has(revision);
      const host = index % 25 === 3 && revision >= perFamily / 2;
      revisions.push({
        family,
        revision,
        ...(inactive ? { status: "INACTIVE" as const } : {}),
        ...(host ? { pidMode: "host" } : {}),
      });
    }
    for (const use of used) inUse.push(`${family}:${use.revision}`);
  }
  if (inUse.length !== profile.inUseRevisions)
    throw new Error(`${profile.name}: generated ${inUse.length} in-use revisions`);

  // Every in-use revision runs at least once; the rest of the tasks favour a few revisions.
  const taskRevisions = inUse.map((_, index) => index);
  while (taskRevisions.length < profile.runningTasks)
    taskRevisions.push(Math.floor(inUse.length * random() ** 3));
  for (let index = taskRevisions.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [taskRevisions[index], taskRevisions[other]] = [
      taskRevisions[other] as number,
      taskRevisions[index] as number,
    ];
  }

  const nonEmpty = Math.ceil(profile.clusters * 0.7);
  const sizes = apportion(
    profile.runningTasks,
    Array.from({ length: profile.clusters }, (_, index) => (index < nonEmpty ? 1 / (index + 1) ** 1.1 : 0)),
  );
  const clusters: SimCluster[] = [];
  let next = 0;
  sizes.forEach((size, clusterIndex) => {
    const tasks: SimTask[] = [];
    const tasksOfFamily = new Map<string, number>();
    for (let count = 0; count < size; count++, next++) {
      const taskDefinition = inUse[taskRevisions[next] as number] as string;
      const family = taskDefinition.split(":")[0] as string;
      const standalone = next % 10 === 0;
      const seen = tasksOfFamily.get(family) ?? 0;
      if (!standalone) tasksOfFamily.set(family, seen + 1);
      const service =
        profile.tasksPerService === undefined
          ? `svc-${family}`
          : `svc-${family}-${Math.floor(seen / profile.tasksPerService)}`;
      tasks.push({
        id: `${String(next).padStart(8, "0")}${String(clusterIndex).padStart(4, "0")}aabbccddeeff00112233`,
        taskDefinition,
        ...(standalone ? {} : { service }),
      });
    }
    clusters.push({ name: `cluster-${String(clusterIndex).padStart(4, "0")}`, tasks });
  });

  return {
    profile,
    account: { accountId: "111111111111", region: "us-east-1", clusters, revisions },
    inUse,
  };
}
