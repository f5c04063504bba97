/**
 * Every Redis key Sluice uses is built here. A query's keys all live under its checkpoint
 * location, in the spirit of Spark's checkpoint folders (`offsets/`, `commits/`, `sources/`).
 */
const ROOT = 'sluice';

/** Hash: query id → the query's registration and last progress, for `sluice status`. */
export function queryRegistryKey(): string {
  return `${ROOT}:queries`;
}

/** Kafka topic every processor writes its progress records to. */
export const PROGRESS_TOPIC = 'sluice.progress';

/** The key prefix of a checkpoint location (a user's `checkpointLocation` option). */
export function checkpointPrefix(location: string): string {
  return `${ROOT}:cp:${location}`;
}

export interface CheckpointKeys {
  /** Hash: query id and other fixed facts (Spark's `metadata` file). */
  readonly metadata: string;
  /** Hash batchId → offset-log entry (Spark's `offsets/`). */
  readonly offsets: string;
  /** Hash batchId → commit-log entry (Spark's `commits/`). */
  readonly commits: string;
  /** String: the last batch id whose state is stored. */
  readonly stateVersion: string;
  /** Hash: one stateful operator's state for one partition (Spark's `state/<op>/<partition>`). */
  state(operatorId: string, partition: number): string;
  /** Pattern matching every key of the checkpoint, for removal of temporary ones. */
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
}

export function checkpointKeys(location: string): CheckpointKeys {
  const p = checkpointPrefix(location);
  return {
    metadata: `${p}:metadata`,
    offsets: `${p}:offsets`,
    commits: `${p}:commits`,
    all: `${p}:*`,
    stateVersion: `${p}:state:version`,
    state: (operatorId, partition) => `${p}:state:${operatorId}:${partition}`,
    sinkLastBatch: (sinkId) => `${p}:sinks:${sinkId}:last-batch`,
    sinkOffset: (sinkId) => `${p}:sinks:${sinkId}:offset`,
    sourceFiles: (sourceIndex) => `${p}:sources:${sourceIndex}:files`,
    sourceTaking: (sourceIndex) => `${p}:sources:${sourceIndex}:taking`,
    sourceOffered: (sourceIndex) => `${p}:sources:${sourceIndex}:offered`,
  };
}
