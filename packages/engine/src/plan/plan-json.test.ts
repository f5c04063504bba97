import { PlanError } from '../errors/plan-error.js';
import { parseExpression } from '../expressions/sql-parser.js';
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

  it('round-trip DECIMAL types and BIGINT / DECIMAL literals past 2^53', () => {
    const exact: QueryPlan = {
      ...plan,
      root: {
        node: 'Project',
        child: { ...plan.root, schema: [{ name: 'x', type: 'decimal(30,2)', nullable: true }] } as QueryPlan['root'],
        exprs: [parseExpression('x + 9223372036854775807L'), parseExpression('x * 12345678901234567890.12')],
      } as QueryPlan['root'],
    };
    const text = serializePlan(exact);
    expect(text).toContain('"$bigint": "9223372036854775807"');
    expect(parsePlan(text)).toEqual(exact);
  });

  it('round-trip MAP types, window expressions and multi-aliases', () => {
    const withWindows: QueryPlan = {
      ...plan,
      root: {
        node: 'Join', joinType: 'inner', left: plan.root,
        right: {
          node: 'Project',
          exprs: [
            parseExpression('explode(m) AS (k, v)'),
            parseExpression('sum(n) OVER (PARTITION BY k ORDER BY n DESC ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS s'),
          ],
          child: {
            node: 'LocalRelation', description: 'd', rows: [[[['a', 1]], 2]],
            schema: [{ name: 'm', type: { kind: 'map', keyType: 'string', valueType: 'int', valueContainsNull: true }, nullable: true }, { name: 'n', type: 'int', nullable: true }],
          },
        },
      },
    };
    expect(parsePlan(serializePlan(withWindows))).toEqual(withWindows);
    const broken = JSON.parse(serializePlan(withWindows)) as { root: { right: { exprs: Array<{ child: { spec: { orderBy: unknown } } }> } } };
    const second = broken.root.right.exprs[1];
    if (second !== undefined) second.child.spec.orderBy = 'ts';
    expect(() => parsePlan(JSON.stringify(broken))).toThrow(/spec.orderBy must be an array/);
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
