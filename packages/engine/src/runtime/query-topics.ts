/** Kafka topic and consumer-group names of one query; every part derives them here. */
export interface QueryTopics {
  source(index: number): string;
  readonly results: string;
  /**
   * Consumer groups are per run (as Spark's Kafka source makes one per query run): positions
   * come from the checkpoint, never from the group, so a killed run's lingering member never
   * delays a restart.
   */
  processorGroup(runId: string): string;
  sinkGroup(runId: string): string;
  readonly processorTransactionalId: string;
  /** Kafka sink: one record per committed batch, written in the batch's transaction. */
  readonly sinkCommits: string;
  /** Scale-out: the internal topic rows cross to reach the shuffle task owning their key. */
  readonly shuffle: string;
  /** Scale-out: the consumer groups whose members share the source tasks and the shuffle tasks. */
  readonly sourceTaskGroup: string;
  readonly shuffleTaskGroup: string;
  /** Scale-out: one transactional id per task, so a task's new owner fences the old one. */
  sourceTaskTransactionalId(source: number, partitionKey: string): string;
  shuffleTaskTransactionalId(task: number): string;
  /** Scale-out: the marker topics of finished batches, one partition per task (task-markers.ts). */
  sourceTaskMarkers(source: number, topic: string): string;
  readonly shuffleTaskMarkers: string;
}

export function queryTopics(queryId: string): QueryTopics {
  return {
    source: (index) => `sluice.${queryId}.source-${index}`,
    results: `sluice.${queryId}.results`,
    processorGroup: (runId) => `sluice.${queryId}.processor.${runId}`,
    sinkGroup: (runId) => `sluice.${queryId}.sink.${runId}`,
    processorTransactionalId: `sluice.${queryId}.processor`,
    sinkCommits: `sluice.${queryId}.sink-commits`,
    shuffle: `sluice.${queryId}.shuffle`,
    sourceTaskGroup: `sluice.${queryId}.tasks.source`,
    shuffleTaskGroup: `sluice.${queryId}.tasks.shuffle`,
    sourceTaskTransactionalId: (source, key) => `sluice.${queryId}.task.source-${source}.${key}`,
    shuffleTaskTransactionalId: (task) => `sluice.${queryId}.task.shuffle-${task}`,
    sourceTaskMarkers: (source, topic) => `sluice.${queryId}.done.source-${source}.${topic}`,
    shuffleTaskMarkers: `sluice.${queryId}.done.shuffle`,
  };
}
