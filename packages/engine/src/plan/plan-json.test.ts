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

/** A plan goes to files and ConfigMaps: it holds references to secrets, never their values. */
describe('plan documents and secrets', () => {
  const kafka = (sourceOptions: Record<string, string>, sinkOptions: Record<string, string> = { topic: 'out' }): QueryPlan => ({
    ...plan,
    sink: { format: 'kafka', options: sinkOptions },
    root: { node: 'StreamingSource', index: 0, format: 'kafka', options: { 'kafka.bootstrap.servers': 'h:9093', subscribe: 'in', ...sourceOptions }, schema: plan.root.node === 'StreamingSource' ? plan.root.schema : [] },
  });
  const jaas = (password: string): string => `org.apache.kafka.common.security.scram.ScramLoginModule required username="app" password="${password}";`;

  it('keeps a ${env:NAME} reference as written', () => {
    const referenced = kafka({ 'kafka.sasl.jaas.config': jaas('${env:KAFKA_PW}'), 'kafka.ssl.key.password': '${env:KEY_PW}' }, { topic: 'out', 'kafka.sasl.jaas.config': '${env:KAFKA_JAAS}' });
    const text = serializePlan(referenced);
    expect(text).toContain('password=\\"${env:KAFKA_PW}\\"');
    expect(parsePlan(text)).toEqual(referenced);
  });

  it.each([
    [{ 'kafka.sasl.jaas.config': jaas('hunter22') }, {}, 'option kafka.sasl.jaas.config of the kafka source holds a password in clear, and a plan holds no secrets: write password="${env:KAFKA_SASL_PASSWORD}" in it'],
    [{}, { 'kafka.ssl.key.password': 'hunter22' }, 'option kafka.ssl.key.password of the kafka sink holds a secret in clear, and a plan holds no secrets: write "${env:SSL_KEY_PASSWORD}" as its value'],
    [{ 'kafka.ssl.truststore.password': 'pre-${env:X}' }, {}, 'option kafka.ssl.truststore.password of the kafka source holds a secret in clear'],
  ])('refuses a secret written in clear, saying how to pass it: %j %j', (sourceOptions, sinkOptions, message) => {
    const run = (): string => serializePlan(kafka(sourceOptions, { topic: 'out', ...sinkOptions }));
    expect(run).toThrow(PlanError);
    expect(run).toThrow(message);
    expect(run).toThrow('set that variable where the query runs (in Kubernetes, from a Secret: env[].valueFrom.secretKeyRef)');
    expect(run).not.toThrow('hunter22');
  });
});
