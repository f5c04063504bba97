import { containsMap, isMapType, isNumeric, mapEntries, typeName, typeSql, type DataType, type MapType, type StructField, type Value } from '../core/types.js';
import { formatJavaDouble, formatJavaFloat } from '../console/render-cell.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { RuntimeError } from '../errors/runtime-error.js';
import { nullSafe, type Bound } from './bound.js';
import { canCast } from './cast.js';
import { compareValues, valuesEqual } from './compare.js';
import { coerce } from './extra-functions.js';
import { widerType } from './wider-type.js';

/**
 * Spark's map functions: `map(k1, v1, ...)` (CreateMap), `map_from_arrays`, `map_keys`,
 * `map_values`, `map_entries`, `map_contains_key`, a map's value by key (`element_at`,
 * `m[key]`), and the `map_sort` Spark puts on a map grouping key. A map value is its
 * `[key, value]` entries in insertion order (see MapType).
 */

/** spark.sql.mapKeyDedupPolicy: what a repeated key does while a map is built. */
export type MapKeyDedupPolicy = 'EXCEPTION' | 'LAST_WIN';

export interface MapContext {
  readonly timeZone: string;
  readonly dedupPolicy: MapKeyDedupPolicy;
}

export const MAP_FUNCTION_NAMES: ReadonlySet<string> = new Set(['map', 'map_from_arrays', 'map_keys', 'map_values', 'map_entries', 'map_contains_key']);

const NULL_MAP_KEY = '[NULL_MAP_KEY] Cannot use null as map key. SQLSTATE: 2200E';

/** One key's identity: equal keys (NaN with NaN, -0.0 with 0.0, as Spark normalises them) alike. */
function keyId(v: Value): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : Object.is(v, -0) ? '0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${(v as readonly Value[]).map((x) => (x === null ? 'null' : keyId(x))).join(',')}]`;
  return String(v);
}

/** A key as the DUPLICATED_MAP_KEY message prints it (the Java `toString` of Spark's value). */
function keyText(key: Value, type: DataType): string {
  if (typeof key === 'number' && type === 'double') return formatJavaDouble(key);
  if (typeof key === 'number' && type === 'float') return formatJavaFloat(key);
  return String(key);
}

/**
 * ArrayBasedMapBuilder: the entries in insertion order. A NULL key fails; a repeated key fails
 * (EXCEPTION) or puts its new value in the first one's place (LAST_WIN).
 */
export function buildMap(keys: readonly Value[], values: readonly Value[], keyType: DataType, policy: MapKeyDedupPolicy): Value {
  const entries: Array<readonly [Value, Value]> = [];
  const index = new Map<string, number>();
  keys.forEach((key, i) => {
    if (key === null) throw new RuntimeError(NULL_MAP_KEY);
    const value = values[i] ?? null;
    const id = keyId(key);
    const at = index.get(id);
    if (at === undefined) {
      index.set(id, entries.length);
      entries.push([key, value]);
    } else if (policy === 'LAST_WIN') {
      entries[at] = [entries[at]?.[0] ?? key, value];
    } else {
      throw new RuntimeError(
        `[DUPLICATED_MAP_KEY] Duplicate map key ${keyText(key, keyType)} was found, please check the input data. If you want to remove the duplicated keys, ` +
          'you can set "spark.sql.mapKeyDedupPolicy" to "LAST_WIN" so that the key inserted at last takes precedence. SQLSTATE: 23505',
      );
    }
  });
  return entries;
}

const dataTypeMismatch = (sql: string, detail: string): AnalysisException =>
  new AnalysisException(`[DATATYPE_MISMATCH.${detail.split(':')[0] ?? ''}] Cannot resolve "${sql}" due to data type mismatch: ${detail.slice(detail.indexOf(':') + 2)} SQLSTATE: 42K09`);

function wrongNumArgs(name: string, expected: string, actual: number): AnalysisException {
  return new AnalysisException(
    `[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The \`${name}\` requires ${expected} parameters but the actual number is ${actual}. ` +
      'Please, refer to \'https://spark.apache.org/docs/latest/sql-ref-functions.html\' for a fix. SQLSTATE: 42605',
  );
}

function requireType(sql: string, ordinal: 'first' | 'second', kind: 'MAP' | 'ARRAY', arg: Bound): void {
  const t = arg.type;
  if (t === 'void' || (typeof t !== 'string' && t.kind === kind.toLowerCase())) return;
  throw dataTypeMismatch(sql, `UNEXPECTED_INPUT_TYPE: The ${ordinal} parameter requires the "${kind}" type, however "${arg.sql}" has the type "${typeSql(t)}".`);
}

function checkKeyType(sql: string, keyType: DataType): void {
  if (containsMap(keyType)) throw dataTypeMismatch(sql, `INVALID_MAP_KEY_TYPE: The key of map cannot be/contain "${typeSql(keyType)}".`);
}

const VOID_MAP: MapType = { kind: 'map', keyType: 'void', valueType: 'void', valueContainsNull: false };
const mapTypeOf = (b: Bound): MapType => (isMapType(b.type) ? b.type : VOID_MAP);
const elementTypeOf = (b: Bound): { elementType: DataType; containsNull: boolean } =>
  typeof b.type !== 'string' && b.type.kind === 'array' ? b.type : { elementType: 'void', containsNull: false };

/** `map(k1, v1, k2, v2, ...)`: keys meet at one type, values at another; never NULL itself. */
function createMap(args: readonly Bound[], sql: string, ctx: MapContext): Bound {
  if (args.length % 2 !== 0) throw wrongNumArgs('map', '2n (n > 0)', args.length);
  const keys = args.filter((_, i) => i % 2 === 0);
  const values = args.filter((_, i) => i % 2 === 1);
  const keyType = widerType(keys.map((k) => k.type));
  if (keyType === null) {
    throw dataTypeMismatch(sql, `CREATE_MAP_KEY_DIFF_TYPES: The given keys of function \`map\` should all be the same type, but they are [${keys.map((k) => `"${typeSql(k.type)}"`).join(', ')}].`);
  }
  const valueType = widerType(values.map((v) => v.type));
  if (valueType === null) {
    throw dataTypeMismatch(sql, `CREATE_MAP_VALUE_DIFF_TYPES: The given values of function \`map\` should all be the same type, but they are [${values.map((v) => `"${typeSql(v.type)}"`).join(', ')}].`);
  }
  checkKeyType(sql, keyType);
  const ks = keys.map((k) => coerce(k, keyType, ctx.timeZone).eval);
  const vs = values.map((v) => coerce(v, valueType, ctx.timeZone).eval);
  return {
    type: { kind: 'map', keyType, valueType, valueContainsNull: values.some((v) => v.nullable) },
    nullable: false, sql, name: sql,
    eval: (row, c) => buildMap(ks.map((k) => k(row, c)), vs.map((v) => v(row, c)), keyType, ctx.dedupPolicy),
  };
}

/** `map_from_arrays(keys, values)`: NULL when either array is; arrays of unequal length fail. */
function mapFromArrays(args: readonly Bound[], sql: string, ctx: MapContext): Bound {
  if (args.length !== 2) throw wrongNumArgs('map_from_arrays', '2', args.length);
  const [keys, values] = args as [Bound, Bound];
  requireType(sql, 'first', 'ARRAY', keys);
  requireType(sql, 'second', 'ARRAY', values);
  const keyType = elementTypeOf(keys).elementType;
  const { elementType: valueType, containsNull } = elementTypeOf(values);
  checkKeyType(sql, keyType);
  return {
    type: { kind: 'map', keyType, valueType, valueContainsNull: containsNull },
    nullable: keys.nullable || values.nullable, sql, name: sql,
    eval: nullSafe([keys, values], ([k, v]) => {
      const ks = k as readonly Value[];
      const vs = v as readonly Value[];
      if (ks.length !== vs.length) throw new RuntimeError('The key array and value array of MapData must have the same length.');
      return buildMap(ks, vs, keyType, ctx.dedupPolicy);
    }),
  };
}

/** map_keys, map_values and map_entries: arrays of the entries' parts (entries are key/value structs). */
function mapParts(name: string, args: readonly Bound[], sql: string): Bound {
  if (args.length !== 1) throw wrongNumArgs(name, '1', args.length);
  const map = args[0] as Bound;
  requireType(sql, 'first', 'MAP', map);
  const t = mapTypeOf(map);
  const entryFields: StructField[] = [{ name: 'key', type: t.keyType, nullable: false }, { name: 'value', type: t.valueType, nullable: t.valueContainsNull }];
  const [type, part]: [DataType, (e: readonly [Value, Value]) => Value] =
    name === 'map_keys' ? [{ kind: 'array', elementType: t.keyType, containsNull: false }, (e) => e[0]]
      : name === 'map_values' ? [{ kind: 'array', elementType: t.valueType, containsNull: t.valueContainsNull }, (e) => e[1]]
        : [{ kind: 'array', elementType: { kind: 'struct', fields: entryFields }, containsNull: false }, (e) => [e[0], e[1]]];
  return { type, nullable: map.nullable, sql, name: sql, eval: nullSafe([map], ([m]) => mapEntries(m ?? null).map(part)) };
}

/**
 * The key argument of a lookup brought to the map's key type: Spark widens both to their
 * tightest common type (numbers), so equal values find each other. Null when they do not meet.
 */
function lookupKey(mapType: MapType, key: Bound, timeZone: string, implicitCast: boolean): Bound | null {
  const kt = mapType.keyType;
  if (key.type === 'void' || kt === 'void' || typeName(key.type) === typeName(kt) || (isNumeric(key.type) && isNumeric(kt))) return key;
  // GetMapValue (m[key]) casts its key implicitly to the key type.
  return implicitCast && typeof kt === 'string' && canCast(key.type, kt) ? coerce(key, kt, timeZone) : null;
}

function valueOf(m: Value, key: Value): Value {
  for (const [k, v] of mapEntries(m)) if (valuesEqual(k, key)) return v;
  return null;
}

function diffTypes(name: string, sql: string, map: Bound, key: Bound): AnalysisException {
  return dataTypeMismatch(sql, `MAP_FUNCTION_DIFF_TYPES: Input to \`${name}\` should have been "MAP" followed by a value with same key type, but it's ["${typeSql(map.type)}", "${typeSql(key.type)}"].`);
}

/**
 * `element_at(map, key)` / `try_element_at` and `m[key]` (`m.key`): the key's value, NULL when
 * the key is missing (Spark 4 with ANSI on too).
 */
export function bindMapValue(map: Bound, key: Bound, sql: string, timeZone: string, fromExtract: boolean): Omit<Bound, 'name'> {
  const k = lookupKey(mapTypeOf(map), key, timeZone, fromExtract);
  if (k === null) throw diffTypes('element_at', sql, map, key);
  return { type: mapTypeOf(map).valueType, nullable: true, sql, eval: nullSafe([map, k], ([m, kv]) => valueOf(m ?? null, kv ?? null)) };
}

/** `map_contains_key(map, key)`. */
function mapContainsKey(args: readonly Bound[], sql: string, timeZone: string): Bound {
  if (args.length !== 2) throw wrongNumArgs('map_contains_key', '2', args.length);
  const [map, key] = args as [Bound, Bound];
  requireType(sql, 'first', 'MAP', map);
  const k = lookupKey(mapTypeOf(map), key, timeZone, false);
  if (k === null) throw diffTypes('map_contains_key', sql, map, key);
  return {
    type: 'boolean', nullable: map.nullable || key.nullable, sql, name: sql,
    eval: nullSafe([map, k], ([m, kv]) => mapEntries(m ?? null).some(([x]) => valuesEqual(x, kv ?? null))),
  };
}

/** Binds one of MAP_FUNCTION_NAMES over its bound arguments. */
export function bindMapFunction(name: string, args: readonly Bound[], ctx: MapContext): Bound {
  const sql = `${name}(${args.map((a) => a.sql).join(', ')})`;
  switch (name) {
    case 'map': return createMap(args, sql, ctx);
    case 'map_from_arrays': return mapFromArrays(args, sql, ctx);
    case 'map_contains_key': return mapContainsKey(args, sql, ctx.timeZone);
    default: return mapParts(name, args, sql);
  }
}

/**
 * `explode(map)` / `posexplode(map)` (and their outer forms): one row per entry, as the columns
 * `key` and `value` (after `pos`); the outer forms make every column nullable.
 */
export function explodeMap(name: string, map: Bound, type: MapType): Bound {
  const outer = name.endsWith('_outer');
  const positions = name.startsWith('pos');
  const columns: StructField[] = [
    ...(positions ? [{ name: 'pos', type: 'int' as const, nullable: outer }] : []),
    { name: 'key', type: type.keyType, nullable: outer },
    { name: 'value', type: type.valueType, nullable: outer || type.valueContainsNull },
  ];
  const me = map.eval;
  return {
    type: type.valueType, nullable: true, sql: `${name}(${map.sql})`, name: 'value',
    // Each entry is already a [key, value] row; posexplode puts its position first.
    eval: (row, ctx) => { const m = me(row, ctx); return Array.isArray(m) ? mapEntries(m).map(([k, v], i): Value => (positions ? [i, k, v] : [k, v])) : null; },
    generator: { outer, columns },
  };
}

/**
 * MapSort, as InsertMapSortInGroupingExpressions puts it on a grouping key holding a map: each
 * map (in structs and arrays too) with its entries sorted by key, so equal maps group together
 * whatever order their keys came in. Undefined when the type holds no map.
 */
export function mapSorter(type: DataType): ((v: Value) => Value) | undefined {
  if (!containsMap(type) || typeof type === 'string') return undefined;
  if (type.kind === 'map') {
    const inner = mapSorter(type.valueType);
    return (v) => v === null ? null : [...mapEntries(v)]
      .sort((a, b) => compareValues(a[0], b[0]))
      .map(([k, x]): Value => [k, inner === undefined || x === null ? x : inner(x)]);
  }
  if (type.kind === 'array') {
    const inner = mapSorter(type.elementType) ?? ((x: Value) => x);
    return (v) => (Array.isArray(v) ? (v as readonly Value[]).map((x) => (x === null ? null : inner(x))) : v);
  }
  const fields = type.fields.map((f) => mapSorter(f.type));
  return (v) => (Array.isArray(v) ? (v as readonly Value[]).map((x, i) => (x === null ? null : (fields[i]?.(x) ?? x))) : v);
}

/** A grouping key with MapSort applied to the maps it holds (the key itself when none). */
export function withSortedMaps(key: Bound): Bound {
  const sort = mapSorter(key.type);
  if (sort === undefined) return key;
  const inner = key.eval;
  return { ...key, eval: (row, ctx) => sort(inner(row, ctx)) };
}

/**
 * CheckAnalysis's mapColumnInSetOperation: dropDuplicates (as INTERSECT, EXCEPT, DISTINCT)
 * cannot compare rows on a map column.
 */
export function checkNoMapKey(keys: readonly StructField[]): void {
  const m = keys.find((f) => containsMap(f.type));
  if (m === undefined) return;
  throw new AnalysisException(
    '[UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE] The feature is not supported: Cannot have MAP type columns in DataFrame which calls set operations ' +
      `(INTERSECT, EXCEPT, etc.), but the type of column \`${m.name.replace(/`/g, '``')}\` is "${typeSql(m.type)}". SQLSTATE: 0A000`,
  );
}
