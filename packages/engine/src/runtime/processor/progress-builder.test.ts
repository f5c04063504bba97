import type { QueryPlan } from '../../plan/query-plan.js';
import type { StreamingSourceNode } from '../../plan/logical-plan.js';
import { buildProgress, type ProgressInput } from './progress-builder.js';

const socket: StreamingSourceNode = {
  node: 'StreamingSource', index: 0, format: 'socket', options: { host: 'localhost', port: '9999' },
  schema: [{ name: 'value', type: 'string', nullable: true }],
};
const plan: QueryPlan = {
  version: 1, name: null, checkpointLocation: 'x', temporaryCheckpoint: true, outputMode: 'append', sessionTimeZone: 'UTC',
  trigger: { kind: 'processingTime', intervalMs: 0 }, sink: { format: 'console', options: {} }, root: socket,
};
const base: ProgressInput = {
  plan, queryId: 'q', runId: 'r', batchId: 0, triggerStart: Date.UTC(2020, 7, 15, 5, 55, 0, 123), triggerEnd: Date.UTC(2020, 7, 15, 5, 55, 2, 123),
  previousTriggerStart: null, sources: [socket], sourceTopics: [['t']], inputRows: [3], start: [{}], end: [{ '0': 3 }],
  outputRows: 3, durations: { walCommit: 2, latestOffset: 1, addBatch: 5 }, watermarkMs: null, state: null,
};

describe('StreamingQueryProgress (SEMANTICS 11.2)', () => {
  it("has Spark's fields, sorted durations and 1-decimal rates; first batch has no start offset", () => {
    const p = buildProgress(base);
    expect(Object.keys(p)).toEqual(['id', 'runId', 'name', 'timestamp', 'batchId', 'batchDuration', 'numInputRows', 'inputRowsPerSecond',
      'processedRowsPerSecond', 'durationMs', 'eventTime', 'stateOperators', 'sources', 'sink']);
    expect(p.timestamp).toBe('2020-08-15T05:55:00.123Z');
    expect(Object.keys(p.durationMs)).toEqual(['addBatch', 'latestOffset', 'triggerExecution', 'walCommit']);
    expect(p.inputRowsPerSecond).toBe(0);
    expect(p.processedRowsPerSecond).toBe(1.5);
    expect(p.sources[0]).toMatchObject({ description: 'TextSocketV2[host: localhost, port: 9999]', startOffset: null, endOffset: 2 });
  });

  it('rates use the time since the previous trigger; the watermark is shown when the query has one', () => {
    const p = buildProgress({ ...base, batchId: 1, previousTriggerStart: base.triggerStart - 3000, start: [{ '0': 3 }], end: [{ '0': 6 }], watermarkMs: 0 });
    expect(p.inputRowsPerSecond).toBe(1);
    expect(p.sources[0]).toMatchObject({ startOffset: 2, endOffset: 5 });
    expect(p.eventTime).toEqual({ watermark: '1970-01-01T00:00:00.000Z' });
  });
});
