import { isDataType, type Row, type StructField } from '../core/types.js';
import { parseValue, stringifyValue } from '../core/value-json.js';
import type { Expr } from '../expressions/expr.js';
import type { TriggerSpec } from '../core/trigger.js';
import { PlanError } from '../errors/plan-error.js';
import { isJaasConfigKey, isReferenceOnly, isSecretKey, redactJaasConfig } from '../internal/secrets.js';
import { JOIN_TYPES, streamingSources, type JoinType, type LogicalPlan } from './logical-plan.js';
import { OUTPUT_MODES, SINK_FORMATS, type OutputMode, type QueryPlan, type SinkFormat, type SinkSpec } from './query-plan.js';

/**
 * Serialises a plan document; `parsePlan(serializePlan(p))` deep-equals `p`. A plan goes to
 * files and ConfigMaps, so it holds references to secrets (`${env:NAME}`), never their values:
 * a secret option written in clear is refused, saying how to pass it.
 */
export function serializePlan(plan: QueryPlan): string {
  for (const source of streamingSources(plan.root)) refuseSecrets(source.options, `the ${source.format} source`);
  refuseSecrets(plan.sink.options, `the ${plan.sink.format} sink`);
  // Literals and static rows may hold bigints (a BIGINT past 2^53, a wide DECIMAL).
  return stringifyValue(plan, 2);
}

function refuseSecrets(options: Readonly<Record<string, string>>, what: string): void {
  for (const [key, value] of Object.entries(options)) {
    if (!isSecretKey(key) || value === '') continue;
    const jaas = isJaasConfigKey(key);
    if (jaas ? redactJaasConfig(value) === value : isReferenceOnly(value)) continue;
    const instead = jaas ? 'password="${env:KAFKA_SASL_PASSWORD}" in it' : `"\${env:${key.replace(/^kafka\./i, '').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()}}" as its value`;
    throw new PlanError(
      `option ${key} of ${what} holds a ${jaas ? 'password' : 'secret'} in clear, and a plan holds no secrets: write ${instead} ` +
        '(a reference, in a quoted string rather than a template literal), and set that variable where the query runs ' +
        '(in Kubernetes, from a Secret: env[].valueFrom.secretKeyRef); sluice run resolves it from its own environment',
    );
  }
}

type Obj = Record<string, unknown>;

function obj(value: unknown, where: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PlanError(`plan: ${where} must be an object`);
  }
  return value as Obj;
}

function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new PlanError(`plan: ${where}.${key} must be a string`);
  return v;
}

function num(o: Obj, key: string, where: string): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new PlanError(`plan: ${where}.${key} must be a number`);
  return v;
}

function stringMap(value: unknown, where: string): Record<string, string> {
  const o = obj(value, where);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== 'string') throw new PlanError(`plan: ${where}.${k} must be a string`);
    out[k] = v;
  }
  return out;
}

function parseField(value: unknown, where: string): StructField {
  const o = obj(value, where);
  const type = o['type'];
  if (!isDataType(type)) throw new PlanError(`plan: ${where}.type is not a known data type: ${JSON.stringify(type)}`);
  return { name: str(o, 'name', where), type, nullable: o['nullable'] !== false };
}

const EXPR_KINDS = new Set(['column', 'star', 'literal', 'alias', 'unary', 'binary', 'call', 'cast', 'case', 'like', 'in', 'between', 'extract', 'sortOrder', 'multiAlias', 'window']);

/** Checks an expression tree's shape (every node a known kind, children where they belong). */
function parseExpr(value: unknown, where: string): Expr {
  const o = obj(value, where);
  const kind = o['kind'];
  if (typeof kind !== 'string' || !EXPR_KINDS.has(kind)) throw new PlanError(`plan: ${where}.kind is not a known expression: ${JSON.stringify(kind)}`);
  for (const key of ['child', 'left', 'right', 'pattern', 'low', 'high', 'field', 'subject', 'otherwise', 'function']) {
    if (o[key] !== undefined) parseExpr(o[key], `${where}.${key}`);
  }
  if (kind === 'window') {
    const spec = obj(o['spec'], `${where}.spec`);
    exprList(spec, 'partitionBy', `${where}.spec`);
    exprList(spec, 'orderBy', `${where}.spec`);
  }
  for (const key of ['args', 'list']) {
    const list = o[key];
    if (list !== undefined) {
      if (!Array.isArray(list)) throw new PlanError(`plan: ${where}.${key} must be an array`);
      list.forEach((e, i) => parseExpr(e, `${where}.${key}[${i}]`));
    }
  }
  if (kind === 'literal' && !isDataType(o['type'])) throw new PlanError(`plan: ${where}.type is not a known data type`);
  if (kind === 'cast' && !isDataType(o['type'])) throw new PlanError(`plan: ${where}.type is not a known data type`);
  return o as unknown as Expr;
}

function exprList(o: Obj, key: string, where: string): Expr[] {
  const list = o[key];
  if (!Array.isArray(list)) throw new PlanError(`plan: ${where}.${key} must be an array`);
  return list.map((e, i) => parseExpr(e, `${where}.${key}[${i}]`));
}

function parseNode(value: unknown, where: string): LogicalPlan {
  const o = obj(value, where);
  const node = o['node'];
  const child = (): LogicalPlan => parseNode(o['child'], `${where}.child`);
  switch (node) {
    case 'StreamingSource': {
      const schema = o['schema'];
      if (!Array.isArray(schema)) throw new PlanError(`plan: ${where}.schema must be an array`);
      return {
        node,
        index: num(o, 'index', where),
        format: str(o, 'format', where),
        options: stringMap(o['options'], `${where}.options`),
        schema: schema.map((f, i) => parseField(f, `${where}.schema[${i}]`)),
      };
    }
    case 'Project':
      return { node, child: child(), exprs: exprList(o, 'exprs', where) };
    case 'Filter':
      return { node, child: child(), condition: parseExpr(o['condition'], `${where}.condition`) };
    case 'Aggregate':
      return { node, child: child(), grouping: exprList(o, 'grouping', where), aggregates: exprList(o, 'aggregates', where) };
    case 'Sort':
      return { node, child: child(), orders: exprList(o, 'orders', where) };
    case 'Limit':
      return { node, child: child(), limit: num(o, 'limit', where) };
    case 'Union': {
      const children = o['children'];
      if (!Array.isArray(children)) throw new PlanError(`plan: ${where}.children must be an array`);
      return { node, children: children.map((c, i) => parseNode(c, `${where}.children[${i}]`)) };
    }
    case 'Deduplicate': {
      const keys = o['keys'];
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) throw new PlanError(`plan: ${where}.keys must be an array of strings`);
      return o['withinWatermark'] === true ? { node, child: child(), keys, withinWatermark: true } : { node, child: child(), keys };
    }
    case 'SubqueryAlias':
      return { node, child: child(), alias: str(o, 'alias', where) };
    case 'EventTimeWatermark':
      return { node, child: child(), column: str(o, 'column', where), delay: str(o, 'delay', where), delayMs: num(o, 'delayMs', where) };
    case 'LocalRelation': {
      const schema = o['schema'];
      const rows = o['rows'];
      if (!Array.isArray(schema) || !Array.isArray(rows)) throw new PlanError(`plan: ${where} needs schema and rows arrays`);
      return { node, schema: schema.map((f, i) => parseField(f, `${where}.schema[${i}]`)), rows: rows as Row[], description: str(o, 'description', where) };
    }
    case 'Join': {
      const joinType = o['joinType'];
      if (!(JOIN_TYPES as readonly unknown[]).includes(joinType)) throw new PlanError(`plan: ${where}.joinType must be one of ${JOIN_TYPES.join(', ')}`);
      const using = o['using'];
      return {
        node, joinType: joinType as JoinType,
        left: parseNode(o['left'], `${where}.left`),
        right: parseNode(o['right'], `${where}.right`),
        ...(o['condition'] === undefined ? {} : { condition: parseExpr(o['condition'], `${where}.condition`) }),
        ...(Array.isArray(using) ? { using: using.map(String) } : {}),
      };
    }
    default:
      throw new PlanError(`plan: ${where}.node is not a known plan node: ${JSON.stringify(node)}`);
  }
}

function parseTrigger(value: unknown): TriggerSpec {
  const o = obj(value, 'trigger');
  switch (o['kind']) {
    case 'processingTime':
      return { kind: 'processingTime', intervalMs: num(o, 'intervalMs', 'trigger') };
    case 'once':
      return { kind: 'once' };
    case 'availableNow':
      return { kind: 'availableNow' };
    default:
      throw new PlanError(`plan: trigger.kind must be processingTime, once or availableNow`);
  }
}

function parseSink(value: unknown): SinkSpec {
  const o = obj(value, 'sink');
  const format = o['format'];
  if (!(SINK_FORMATS as readonly unknown[]).includes(format)) throw new PlanError(`plan: sink.format must be one of ${SINK_FORMATS.join(', ')}`);
  return { format: format as SinkFormat, options: stringMap(o['options'], 'sink.options') };
}

/** Reads a plan document, checking every field; a bad document gives a PlanError naming the field. */
export function parsePlan(text: string): QueryPlan {
  let raw: unknown;
  try {
    raw = parseValue(text);
  } catch (cause) {
    throw new PlanError(`plan: not valid JSON: ${(cause as Error).message}`, { cause });
  }
  const o = obj(raw, 'document');
  if (o['version'] !== 1) throw new PlanError(`plan: version must be 1, got ${JSON.stringify(o['version'])}`);
  const name = o['name'];
  if (name !== null && typeof name !== 'string') throw new PlanError('plan: name must be a string or null');
  const mode = o['outputMode'];
  if (!(OUTPUT_MODES as readonly unknown[]).includes(mode)) {
    throw new PlanError(`plan: outputMode must be one of ${OUTPUT_MODES.join(', ')}`);
  }
  return {
    version: 1,
    name,
    checkpointLocation: str(o, 'checkpointLocation', 'document'),
    temporaryCheckpoint: o['temporaryCheckpoint'] === true,
    outputMode: mode as OutputMode,
    sessionTimeZone: str(o, 'sessionTimeZone', 'document'),
    ...(o['conf'] === undefined ? {} : { conf: stringMap(o['conf'], 'conf') }),
    trigger: parseTrigger(o['trigger']),
    sink: parseSink(o['sink']),
    root: parseNode(o['root'], 'root'),
  };
}
