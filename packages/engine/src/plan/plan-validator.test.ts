import { AnalysisException } from '../errors/analysis-exception.js';
import type { QueryPlan } from './query-plan.js';
import { validatePlan } from './plan-validator.js';

const socketPlan = (outputMode: QueryPlan['outputMode']): QueryPlan => ({
  version: 1, name: null, checkpointLocation: 'x', temporaryCheckpoint: true, outputMode, sessionTimeZone: 'UTC',
  trigger: { kind: 'processingTime', intervalMs: 0 },
  sink: { format: 'console', options: {} },
  root: { node: 'StreamingSource', index: 0, format: 'socket', options: {}, schema: [{ name: 'value', type: 'string', nullable: true }] },
});

describe('validatePlan (UnsupportedOperationChecker.checkForStreaming)', () => {
  it('rejects complete mode without aggregation with Spark message text', () => {
    expect(() => validatePlan(socketPlan('complete'))).toThrow(AnalysisException);
    try {
      validatePlan(socketPlan('complete'));
    } catch (err) {
      expect((err as AnalysisException).code).toBe('ANALYSIS_ERROR');
      expect((err as Error).message.startsWith(
        'Complete output mode not supported when there are no streaming aggregations on streaming DataFrames/Datasets;\n',
      )).toBe(true);
    }
  });

  it('accepts append and update for a stateless query', () => {
    expect(() => validatePlan(socketPlan('append'))).not.toThrow();
    expect(() => validatePlan(socketPlan('update'))).not.toThrow();
  });
});
