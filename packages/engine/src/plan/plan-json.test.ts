import { PlanError } from '../errors/plan-error.js';
import { parsePlan, serializePlan } from './plan-json.js';
import type { QueryPlan } from './query-plan.js';

const plan: QueryPlan = {
  version: 1,
  name: 'q',
  checkpointLocation: 'cp/q',
  temporaryCheckpoint: false,
  outputMode: 'append',
  sessionTimeZone: 'UTC',
  trigger: { kind: 'processingTime', intervalMs: 2000 },
  sink: { format: 'console', options: { truncate: 'false' } },
  root: {
    node: 'StreamingSource', index: 0, format: 'socket',
    options: { host: 'localhost', port: '12345' },
    schema: [{ name: 'value', type: 'string', nullable: true }],
  },
};

describe('plan documents', () => {
  it('round-trip through JSON without loss', () => {
    expect(parsePlan(serializePlan(plan))).toEqual(plan);
  });

  it('name the bad field of a broken document', () => {
    expect(() => parsePlan('{')).toThrow(PlanError);
    expect(() => parsePlan(JSON.stringify({ ...plan, outputMode: 'sometimes' }))).toThrow(/outputMode/);
    expect(() => parsePlan(JSON.stringify({ ...plan, root: { ...plan.root, node: 'Mystery' } }))).toThrow(/root.node/);
    expect(() =>
      parsePlan(JSON.stringify({ ...plan, root: { ...plan.root, schema: [{ name: 'v', type: 'blob' }] } })),
    ).toThrow(expect.objectContaining({ code: 'INVALID_PLAN' }));
  });
});
