import type { OffsetLogEntry } from '../../checkpoint/offset-log.js';
import type { KafkaAdmin } from '../../kafka/kafka-port.js';
import type { StateMetrics } from '../../operators/operator.js';
import { checkpointKeys } from '../../state/keys.js';
import { parseSourceTaskCommit, type SourceTaskCommit } from './source-tasks.js';
import type { ShuffleTaskCommit } from './shuffle-tasks.js';
import { shuffleTasksOf, type TaskContext } from './task-context.js';

/** What the tasks of a batch reported once all committed. */
export interface BatchFigures {
  readonly inputRows: number[];
  readonly outputRows: number;
  readonly observed: Array<Readonly<Record<string, number>>>;
  readonly metrics: StateMetrics | null;
  readonly stateRows: number;
}

/**
 * Whether every task has committed its part of batch N, and if so what they reported: the leader
 * commits N only then. Without a shuffle, the parts are the source tasks, whose commit is their
 * consumer group's offset (the batch id in its metadata); with one, the shuffle tasks' commit
 * records in Redis. Null while a part is missing.
 */
export async function batchFigures(ctx: TaskContext, admin: KafkaAdmin, batchId: number, entry: OffsetLogEntry): Promise<BatchFigures | null> {
  if (ctx.staged.exchange === null) {
    const inputRows = ctx.sources.map(() => 0);
    const observed: Array<Readonly<Record<string, number>>> = [];
    let outputRows = 0;
    for (const [i, set] of ctx.sourceSets.entries()) {
      for (const topic of set.topics) {
        const commits = await admin.committedOffsets(ctx.topics.sourceTaskGroup, topic);
        for (const key of Object.keys(entry.offsets[i] ?? {})) {
          const partition = Number(key.slice(key.lastIndexOf(':') + 1));
          if (set.topics.length > 1 && !key.startsWith(`${topic}:`)) continue;
          const c: SourceTaskCommit | null = parseSourceTaskCommit(commits.find((x) => x.partition === partition)?.metadata ?? null);
          if (c === null || c.batchId < batchId) return null;
          if (c.batchId === batchId) {
            inputRows[i] = (inputRows[i] ?? 0) + c.inputRows;
            outputRows += c.outputRows;
            observed.push(c.observed);
          }
        }
      }
    }
    return { inputRows, outputRows, observed, metrics: null, stateRows: 0 };
  }
  const keys = checkpointKeys(ctx.plan.checkpointLocation);
  const tasks = shuffleTasksOf(entry);
  const commits: ShuffleTaskCommit[] = [];
  for (let k = 0; k < tasks; k++) {
    const text = await ctx.redis.hget(keys.taskCommits(k), String(batchId));
    if (text === null) return null;
    commits.push(JSON.parse(text) as ShuffleTaskCommit);
  }
  const metrics: StateMetrics = { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} };
  for (const c of commits) {
    metrics.droppedByWatermark += c.metrics.droppedByWatermark;
    metrics.evicted += c.metrics.evicted;
    metrics.updated += c.metrics.updated;
    for (const [op, named] of Object.entries(c.metrics.custom ?? {})) {
      const own = ((metrics.custom ??= {})[op] ??= {});
      for (const [name, v] of Object.entries(named)) own[name] = (own[name] ?? 0) + v;
    }
  }
  // Every shuffle task hears every source task's end: the input counts once, from task 0.
  const total = commits[0]?.inputRows ?? 0;
  return {
    inputRows: ctx.sources.map((_, i) => (i === 0 ? total : 0)),
    outputRows: commits.reduce((n, c) => n + c.outputRows, 0),
    observed: commits.map((c) => c.observed),
    metrics,
    stateRows: commits.reduce((n, c) => n + c.stateRows, 0),
  };
}
