import type { StreamingQueryProgress } from '../core/streaming-query-progress.js';

/**
 * What a process knows of one of its queries, as the live page draws it and `/api/queries`
 * serves it: who the query is, how it stands, and its recent progress records (Spark's
 * `recentProgress`) with the consumer lag measured after each.
 */

/** Records a source partition held beyond a batch's end offset when the batch committed. */
export interface PartitionLag {
  /** The source's index in the plan. */
  readonly source: number;
  readonly topic: string;
  readonly partition: number;
  readonly records: number;
}

/** The lag after one progress record (the same batch id and timestamp). */
export interface BatchLag {
  readonly batchId: number;
  readonly timestamp: string;
  readonly partitions: readonly PartitionLag[];
}

/** One processor replica of a scaled-out query and the tasks it runs now, as it last reported. */
export interface LiveReplica {
  readonly runId: string;
  readonly leader: boolean;
  /** Source tasks as `source|partition` (`source|topic:partition` for a source of several topics). */
  readonly sourceTasks: readonly string[];
  readonly shuffleTasks: readonly number[];
  /** When the replica last reported (ISO time). */
  readonly updatedAt: string;
}

/**
 * A scaled-out query's replicas and how far its source tasks trail each source partition
 * (empty where nobody measured it: a follower replica leaves that to the leader).
 */
export interface LiveReplicas {
  readonly members: readonly LiveReplica[];
  readonly lag: readonly PartitionLag[];
}

/** Spark UI's query status: RUNNING while active, then FAILED (with an error) or FINISHED. */
export type LiveQueryStatus = 'RUNNING' | 'FAILED' | 'FINISHED';

export interface LiveQuery {
  readonly id: string;
  readonly runId: string;
  readonly name: string | null;
  readonly status: LiveQueryStatus;
  /** Epoch ms the run started. */
  readonly startTimestamp: number;
  readonly lastError: string | null;
  readonly recentProgress: readonly StreamingQueryProgress[];
  readonly consumerLag: readonly BatchLag[];
  /** A scaled-out query's replicas; absent for a query one process runs. */
  readonly replicas?: LiveReplicas;
}

/** One query in `/api/queries`: the record plus what the page's table derives from it. */
export interface LiveQueryJson extends Omit<LiveQuery, 'startTimestamp'> {
  readonly startTime: string;
  readonly uptimeMs: number;
  readonly avgInputRowsPerSecond: number | null;
  readonly avgProcessedRowsPerSecond: number | null;
  readonly latestBatchId: number | null;
  /** Where the query's page and its batches' progress records are served. */
  readonly links: { readonly page: string; readonly batches: string };
}

/**
 * How long the query has run: until now while running; for a stopped query, from its start to
 * its last progress record (Spark's StreamingQueryPage "Duration").
 */
export function uptimeMs(q: LiveQuery, now: number): number {
  if (q.status === 'RUNNING') return Math.max(0, now - q.startTimestamp);
  const last = q.recentProgress[q.recentProgress.length - 1];
  return last === undefined ? 0 : Math.max(0, Date.parse(last.timestamp) - q.startTimestamp);
}

/** Mean of a rate over the recent progress records (Spark's "Avg Input /sec"), null with none. */
export function averageRate(q: LiveQuery, rate: 'inputRowsPerSecond' | 'processedRowsPerSecond'): number | null {
  const values = q.recentProgress.map((p) => p[rate]).map((v) => (Number.isFinite(v) ? v : 0));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function latestBatchId(q: LiveQuery): number | null {
  return q.recentProgress[q.recentProgress.length - 1]?.batchId ?? null;
}

/**
 * The batches that ran, oldest first: the first record of each batch id (an idle record repeats
 * the last batch's id with no input; it is a point on the timelines, not a batch).
 */
export function batchesOf(q: LiveQuery): StreamingQueryProgress[] {
  const seen = new Set<number>();
  const out: StreamingQueryProgress[] = [];
  for (const p of q.recentProgress) {
    if (seen.has(p.batchId)) continue;
    seen.add(p.batchId);
    out.push(p);
  }
  return out;
}

export function findBatch(q: LiveQuery, batchId: number): StreamingQueryProgress | null {
  return q.recentProgress.find((p) => p.batchId === batchId) ?? null;
}

export const queryPath = (id: string): string => `/query/${encodeURIComponent(id)}`;
export const batchRowPath = (id: string, batchId: number): string => `${queryPath(id)}#batch-${batchId}`;
export const queryApiPath = (id: string): string => `/api/queries/${encodeURIComponent(id)}`;
export const batchApiPath = (id: string, batchId: number): string => `${queryApiPath(id)}/batches/${batchId}`;

export function liveQueryJson(q: LiveQuery, now: number): LiveQueryJson {
  const { startTimestamp, ...rest } = q;
  return {
    ...rest,
    startTime: new Date(startTimestamp).toISOString(),
    uptimeMs: uptimeMs(q, now),
    avgInputRowsPerSecond: averageRate(q, 'inputRowsPerSecond'),
    avgProcessedRowsPerSecond: averageRate(q, 'processedRowsPerSecond'),
    latestBatchId: latestBatchId(q),
    links: { page: queryPath(q.id), batches: `${queryApiPath(q.id)}/batches` },
  };
}

/**
 * What changes when a page must be redrawn: a query's status, a new progress record, or (for a
 * scaled-out query) a replica joining, leaving, leading or taking other tasks. The
 * page's script computes the same from the JSON it polls (SIGNATURE_JS) and, when it differs
 * from the one the page was drawn at, fetches the page again.
 */
export function liveSignature(queries: ReadonlyArray<Pick<LiveQuery, 'id' | 'status' | 'recentProgress' | 'replicas'>>): string {
  return queries.map((q) => `${q.id}/${q.status}/${q.recentProgress.length}/${q.recentProgress[q.recentProgress.length - 1]?.timestamp ?? ''}` +
    (q.replicas === undefined ? '' : `/${q.replicas.members.map((m) => `${m.runId}${m.leader ? '*' : ''}:${m.sourceTasks.length}.${m.shuffleTasks.length}`).join(',')}`)).join('|');
}

/** liveSignature for the browser, over `/api/queries` (an array) or `/api/queries/<id>` (one). */
export const SIGNATURE_JS = `function signature(data) {
  const queries = Array.isArray(data) ? data : [data];
  return queries.map((q) => {
    const ps = q.recentProgress || [];
    const last = ps[ps.length - 1];
    const members = q.replicas ? q.replicas.members : null;
    const tasks = members ? '/' + members.map((m) => m.runId + (m.leader ? '*' : '') + ':' + m.sourceTasks.length + '.' + m.shuffleTasks.length).join(',') : '';
    return q.id + '/' + q.status + '/' + ps.length + '/' + (last ? last.timestamp : '') + tasks;
  }).join('|');
}`;
