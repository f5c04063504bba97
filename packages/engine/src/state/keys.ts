/**
 * Every Redis key Sluice uses is built here. A query's keys all live under its checkpoint
 * location, in the spirit of Spark's checkpoint folders (`offsets/`, `commits/`, `sources/`).
 *
 * Layout 2 (`CHECKPOINT_LAYOUT`): `sluice:{cp:<location>}:<what>`. The braces are a Redis
 * Cluster hash tag: every key of one commit unit hashes to one slot, so the batch commit (one
 * Lua script over the commit log, the state version and every state hash) runs on a cluster.
 * Today the commit unit is the whole query. A later unit per task (source partition) gives
 * the task's keys the tag `{cp:<location>:<partition>}` in `unitTag` below: state keys
 * already carry their operator and partition, so only the tag and the task's commit record
 * change. `cp:` inside the braces keeps the tag non-empty whatever the location holds.
 *
 * Layout 1 (`legacyCheckpointKeys`) had no hash tag: `sluice:cp:<location>:<what>`.
 */
const ROOT = 'sluice';

/** The key layout this version writes; recorded in each checkpoint's metadata hash. */
export const CHECKPOINT_LAYOUT = 2;

/** Hash: query id → the query's registration and last progress, for `sluice status`. */
export function queryRegistryKey(): string {
  return `${ROOT}:queries`;
}

/** Kafka topic every processor writes its progress records to. */
export const PROGRESS_TOPIC = 'sluice.progress';

/** The hash tag of a checkpoint's commit unit (see the header). */
function unitTag(location: string): string {
  return `{cp:${location}}`;
}

/** The key prefix of a checkpoint location (a user's `checkpointLocation` option). */
export function checkpointPrefix(location: string): string {
  return `${ROOT}:${unitTag(location)}`;
}

export interface CheckpointKeys {
  /** Hash: query id, key layout and other fixed facts (Spark's `metadata` file). */
  readonly metadata: string;
  /** Hash batchId → offset-log entry (Spark's `offsets/`). */
  readonly offsets: string;
  /** Hash batchId → commit-log entry (Spark's `commits/`). */
  readonly commits: string;
  /** String: the last batch id whose state is stored. */
  readonly stateVersion: string;
  /** Hash: one stateful operator's state for one partition (Spark's `state/<op>/<partition>`). */
  state(operatorId: string, partition: number): string;
  /** SCAN pattern matching every key of the checkpoint (and only those), for its removal. */
  readonly all: string;
  /** String: last batch id a sink wrote, for idempotent re-delivery. */
  sinkLastBatch(sinkId: string): string;
  /** String: the results-topic offset a sink resumes from (after the last batch it handled). */
  sinkOffset(sinkId: string): string;
  /** Set: the files a file source has taken (Spark's `sources/<i>/`). */
  sourceFiles(sourceIndex: number): string;
  /** Hash: files a file source is taking (start offset and record count), for recovery. */
  sourceTaking(sourceIndex: number): string;
  /**
   * String (JSON partition → offset): how far into its source topic the ingest offers records
   * to batches, Spark's latestOffset of the source (a file source: the end of its last complete
   * directory listing; a socket: the topic's end when it connected). Absent until the source
   * has reported an offset.
   */
  sourceOffered(sourceIndex: number): string;
  /** String (with expiry): the run id of the processor replica leading a scaled-out query. */
  readonly leader: string;
  /** Hash batchId → a shuffle task's commit (its read position and the batch's figures). */
  taskCommits(task: number): string;
  /** String: the last batch id whose state a shuffle task stored. */
  taskStateVersion(task: number): string;
  /** Hash runId → a scaled-out query's replica: its tasks and when it last said so. */
  readonly replicas: string;
}

function keysUnder(p: string): CheckpointKeys {
  return {
    metadata: `${p}:metadata`,
    offsets: `${p}:offsets`,
    commits: `${p}:commits`,
    all: `${globEscape(p)}:*`,
    stateVersion: `${p}:state:version`,
    state: (operatorId, partition) => `${p}:state:${operatorId}:${partition}`,
    sinkLastBatch: (sinkId) => `${p}:sinks:${sinkId}:last-batch`,
    sinkOffset: (sinkId) => `${p}:sinks:${sinkId}:offset`,
    sourceFiles: (sourceIndex) => `${p}:sources:${sourceIndex}:files`,
    sourceTaking: (sourceIndex) => `${p}:sources:${sourceIndex}:taking`,
    sourceOffered: (sourceIndex) => `${p}:sources:${sourceIndex}:offered`,
    leader: `${p}:leader`,
    taskCommits: (task) => `${p}:tasks:${task}:commits`,
    taskStateVersion: (task) => `${p}:tasks:${task}:version`,
    replicas: `${p}:replicas`,
  };
}

export function checkpointKeys(location: string): CheckpointKeys {
  return keysUnder(checkpointPrefix(location));
}

/** The keys of a checkpoint written by layout 1 (before hash tags), for its migration. */
export function legacyCheckpointKeys(location: string): CheckpointKeys & { readonly prefix: string } {
  const prefix = `${ROOT}:cp:${location}`;
  return { ...keysUnder(prefix), prefix };
}

/**
 * Whether `suffix` (a key with its checkpoint prefix and ':' removed) is one of the names
 * `CheckpointKeys` builds. A layout-1 prefix is also the start of longer locations'
 * keys (`a` and `a:b`), so a migration moves only the names that can be this checkpoint's.
 */
export function isCheckpointKeySuffix(suffix: string): boolean {
  return /^(?:metadata|offsets|commits|state:version|state:[^:]+:\d+|sinks:[^:]+:(?:last-batch|offset)|sources:\d+:(?:files|taking|offered)|leader|replicas|tasks:\d+:(?:commits|version))$/.test(suffix);
}

/**
 * The part of a key Redis Cluster hashes: the text between the first `{` and the next `}`
 * when not empty, else the whole key. Keys with the same hash tag share a slot.
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open < 0) return key;
  const close = key.indexOf('}', open + 1);
  return close <= open + 1 ? key : key.slice(open + 1, close);
}

/** A literal for a Redis SCAN/KEYS glob pattern (`*`, `?`, `[`, `]`, `\` escaped). */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}
