/** Kafka topic and consumer-group names of one query; every part derives them here. */
export interface QueryTopics {
  source(index: number): string;
  readonly results: string;
  readonly processorGroup: string;
  readonly sinkGroup: string;
  readonly processorTransactionalId: string;
}

export function queryTopics(queryId: string): QueryTopics {
  return {
    source: (index) => `sluice.${queryId}.source-${index}`,
    results: `sluice.${queryId}.results`,
    processorGroup: `sluice.${queryId}.processor`,
    sinkGroup: `sluice.${queryId}.sink`,
    processorTransactionalId: `sluice.${queryId}.processor`,
  };
}
