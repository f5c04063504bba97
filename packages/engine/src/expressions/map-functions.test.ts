import type { DataType, Row, Value } from '../core/types.js';
import { renderCell } from '../console/render-cell.js';
import { bindExpr, type Scope } from './binder.js';
import { castValue } from './cast.js';
import { buildMap, mapSorter } from './map-functions.js';
import { parseExpression } from './sql-parser.js';
import { widerType } from './wider-type.js';

const mapOf = (keyType: DataType, valueType: DataType): DataType => ({ kind: 'map', keyType, valueType, valueContainsNull: true });
const scope: Scope = {
  fields: [
    { name: 'm', type: mapOf('string', 'int'), nullable: true },
    { name: 'k', type: 'string', nullable: true },
    { name: 'i', type: 'int', nullable: true },
    { name: 'ks', type: { kind: 'array', elementType: 'string', containsNull: true }, nullable: true },
    { name: 'vs', type: { kind: 'array', elementType: 'int', containsNull: true }, nullable: true },
  ],
  timeZone: 'UTC',
};
const ctx = { batchTimestampMs: 0 };
const row: Row = [[['a', 1], ['b', null]], 'a', 2, ['x', 'y'], [1, 2]];
const bind = (sql: string, s: Scope = scope) => bindExpr(parseExpression(sql), s);
const run = (sql: string, r: Row = row): Value => bind(sql).eval(r, ctx);
/** The value as show() prints it. */
const shown = (sql: string, r: Row = row): string => { const b = bind(sql); return renderCell(b.eval(r, ctx), b.type, 'UTC'); };

describe('map(k1, v1, ...) (CreateMap)', () => {
  it('keeps insertion order, widens values, names the column map(...)', () => {
    const b = bind("map('a', i, 'b', 2.5D, 'c', CAST(NULL AS BIGINT))");
    expect(b.type).toEqual({ kind: 'map', keyType: 'string', valueType: 'double', valueContainsNull: true });
    expect(b.nullable).toBe(false);
    expect(b.name).toBe('map(a, i, b, 2.5, c, CAST(NULL AS BIGINT))');
    expect(shown("map('a', i, 'b', 2.5D, 'c', CAST(NULL AS BIGINT))")).toBe('{a -> 2.0, b -> 2.5, c -> NULL}');
    expect(shown('map()')).toBe('{}');
    expect(bind("map('a', 1)").type).toEqual({ kind: 'map', keyType: 'string', valueType: 'int', valueContainsNull: false });
  });

  it('nests: maps of arrays (array() meets any array), arrays and structs of maps', () => {
    expect(shown("map('a', array(i, i + 1), 'b', array())")).toBe('{a -> [2, 3], b -> []}');
    expect(shown("named_struct('m', map(i, 'x'), 'n', i)")).toBe('{{2 -> x}, 2}');
    expect(shown("map('o', map('i', i))")).toBe('{o -> {i -> 2}}');
    // array() of maps whose values differ only in nullability meets at the nullable one.
    expect(bind("array(map('a', 1), map('b', CAST(NULL AS INT)))").type).toEqual({ kind: 'array', elementType: mapOf('string', 'int'), containsNull: false });
    expect(shown("array(map('a', 1), map('b', CAST(NULL AS INT)))")).toBe('[{a -> 1}, {b -> NULL}]');
  });

  it('rejects an odd number of arguments, keys or values that do not meet, and map keys (Spark 4.2 texts)', () => {
    expect(() => bind("map(k, 1, 'b')")).toThrow("[WRONG_NUM_ARGS.WITHOUT_SUGGESTION] The `map` requires 2n (n > 0) parameters but the actual number is 3. Please, refer to 'https://spark.apache.org/docs/latest/sql-ref-functions.html' for a fix. SQLSTATE: 42605");
    expect(() => bind("map(1, 'a', true, 'b')")).toThrow('[DATATYPE_MISMATCH.CREATE_MAP_KEY_DIFF_TYPES] Cannot resolve "map(1, a, true, b)" due to data type mismatch: The given keys of function `map` should all be the same type, but they are ["INT", "BOOLEAN"]. SQLSTATE: 42K09');
    expect(() => bind("map('a', 1, 'b', array(1))")).toThrow('[DATATYPE_MISMATCH.CREATE_MAP_VALUE_DIFF_TYPES] Cannot resolve "map(a, 1, b, array(1))" due to data type mismatch: The given values of function `map` should all be the same type, but they are ["INT", "ARRAY<INT>"]. SQLSTATE: 42K09');
    expect(() => bind('map(map(k, 1), 1)')).toThrow('[DATATYPE_MISMATCH.INVALID_MAP_KEY_TYPE] Cannot resolve "map(map(k, 1), 1)" due to data type mismatch: The key of map cannot be/contain "MAP<STRING, INT>". SQLSTATE: 42K09');
  });

  it('fails on a NULL key and on a repeated key; LAST_WIN keeps the first place with the last value', () => {
    expect(() => run('map(k, 1)', [null, null, 0, null, null])).toThrow('[NULL_MAP_KEY] Cannot use null as map key. SQLSTATE: 2200E');
    expect(() => run("map(k, 1, 'a', 2)")).toThrow('[DUPLICATED_MAP_KEY] Duplicate map key a was found, please check the input data. If you want to remove the duplicated keys, you can set "spark.sql.mapKeyDedupPolicy" to "LAST_WIN" so that the key inserted at last takes precedence. SQLSTATE: 23505');
    const lastWin = bind("map(k, 1, 'b', 2, 'a', 3)", { ...scope, mapKeyDedupPolicy: 'LAST_WIN' });
    expect(lastWin.eval(row, ctx)).toEqual([['a', 3], ['b', 2]]);
    expect(buildMap([1.5, 1.5], ['x', 'y'], 'double', 'LAST_WIN')).toEqual([[1.5, 'y']]);
    expect(() => buildMap([1, 1], ['x', 'y'], 'double', 'EXCEPTION')).toThrow('Duplicate map key 1.0 was found');
    expect(buildMap([0, -0], ['x', 'y'], 'double', 'LAST_WIN')).toEqual([[0, 'y']]);
  });
});

describe('map_from_arrays, map_keys, map_values, map_entries, map_contains_key', () => {
  it('pairs arrays; NULL in, NULL out; unequal lengths fail', () => {
    expect(shown('map_from_arrays(ks, vs)')).toBe('{x -> 1, y -> 2}');
    expect(run('map_from_arrays(ks, vs)', [null, null, null, null, [1]])).toBeNull();
    expect(() => run('map_from_arrays(ks, array(1))')).toThrow('The key array and value array of MapData must have the same length.');
    expect(() => bind('map_from_arrays(k, vs)')).toThrow('The first parameter requires the "ARRAY" type, however "k" has the type "STRING"');
  });

  it('takes a map apart in its order', () => {
    expect(run('map_keys(m)')).toEqual(['a', 'b']);
    expect(run('map_values(m)')).toEqual([1, null]);
    expect(shown('map_entries(m)')).toBe('[{a, 1}, {b, NULL}]');
    expect(bind('map_keys(m)').type).toEqual({ kind: 'array', elementType: 'string', containsNull: false });
    expect(bind('map_values(m)').type).toEqual({ kind: 'array', elementType: 'int', containsNull: true });
    expect(run("map_contains_key(m, 'b')")).toBe(true);
    expect(run("map_contains_key(m, 'z')")).toBe(false);
    expect(run('map_keys(m)', [null, null, 0, null, null])).toBeNull();
  });
});

describe("a map's value by key: element_at, try_element_at, m[key], m.key", () => {
  it('finds the value, NULL for a missing key (Spark 4 under ANSI too)', () => {
    expect(run("element_at(m, 'a')")).toBe(1);
    expect(run("element_at(m, 'zz')")).toBeNull();
    expect(run("try_element_at(m, 'a')")).toBe(1);
    expect(run("m['a']")).toBe(1);
    expect(bind("m['b']").name).toBe('m[b]');
    expect(bind('m.a').name).toBe('a');
    expect(run('m.a')).toBe(1);
    expect(run("element_at(map(1, 'one', 2, 'two'), i)")).toBe('two');
    expect(run("element_at(map(CAST(1 AS BIGINT), 'x'), 1)")).toBe('x');
  });

  it('rejects a key of another type', () => {
    expect(() => bind('element_at(m, array(1))')).toThrow('[DATATYPE_MISMATCH.MAP_FUNCTION_DIFF_TYPES] Cannot resolve "element_at(m, array(1))" due to data type mismatch: Input to `element_at` should have been "MAP" followed by a value with same key type, but it\'s ["MAP<STRING, INT>", "ARRAY<INT>"]. SQLSTATE: 42K09');
  });
});

describe('maps elsewhere', () => {
  it('size / cardinality count entries; NULL (ANSI) for a NULL map', () => {
    expect(run('size(m)')).toBe(2);
    expect(run('cardinality(m)')).toBe(2);
    expect(run('size(m)', [null, null, 0, null, null])).toBeNull();
  });

  it('explode and posexplode give key and value (after pos)', () => {
    const e = bind('explode(m)');
    expect(e.generator?.columns).toEqual([{ name: 'key', type: 'string', nullable: false }, { name: 'value', type: 'int', nullable: true }]);
    expect(e.eval(row, ctx)).toEqual([['a', 1], ['b', null]]);
    const p = bind('posexplode_outer(m)');
    expect(p.generator?.columns?.map((c) => c.name)).toEqual(['pos', 'key', 'value']);
    expect(p.generator?.columns?.every((c) => c.nullable)).toBe(true);
    expect(p.eval(row, ctx)).toEqual([[0, 'a', 1], [1, 'b', null]]);
    expect(bind('explode(m) AS (x, y)').generator?.columns?.map((c) => c.name)).toEqual(['x', 'y']);
    expect(() => bind('explode(m) AS (x)')).toThrow('[UDTF_ALIAS_NUMBER_MISMATCH]');
  });

  it('casts to STRING with lower-case null; to_json keeps NULL values', () => {
    expect(run('CAST(m AS STRING)')).toBe('{a -> 1, b -> null}');
    expect(run('to_json(m)')).toBe('{"a":1,"b":null}');
    expect(run("to_json(map(1, 'x'))")).toBe('{"1":"x"}');
    expect(castValue([['1', '2']], mapOf('string', 'string'), mapOf('int', 'int'), 'UTC')).toEqual([[1, 2]]);
  });

  it('cannot be compared, sorted or put in an IN list (INVALID_ORDERING_TYPE)', () => {
    expect(() => bind("m = map('a', 1)")).toThrow('[DATATYPE_MISMATCH.INVALID_ORDERING_TYPE] Cannot resolve "(m = map(a, 1))" due to data type mismatch: The `=` does not support ordering on type "MAP<STRING, INT>". SQLSTATE: 42K09');
    expect(() => bind('m <=> m')).toThrow('The `<=>` does not support ordering on type "MAP<STRING, INT>"');
    expect(() => bind("m IN (map('a', 1))")).toThrow('Cannot resolve "(m IN (map(a, 1)))" due to data type mismatch: The `in` does not support ordering');
    expect(() => bindExpr({ kind: 'sortOrder', child: { kind: 'column', name: 'm' }, direction: 'asc', nulls: 'first' }, scope))
      .toThrow('Cannot resolve "m ASC NULLS FIRST" due to data type mismatch: The `sortorder` does not support ordering on type "MAP<STRING, INT>"');
  });
});

describe('mapSorter (MapSort on grouping keys)', () => {
  it('sorts entries by key, in maps nested in structs, arrays and maps', () => {
    const type: DataType = { kind: 'struct', fields: [{ name: 'm', type: mapOf('int', mapOf('string', 'int')), nullable: true }, { name: 'x', type: 'int', nullable: true }] };
    const sort = mapSorter(type);
    expect(sort?.([[[10, [['b', 1], ['a', 2]]], [9, null]], 1])).toEqual([[[9, null], [10, [['a', 2], ['b', 1]]]], 1]);
    expect(mapSorter('int')).toBeUndefined();
    expect(mapSorter({ kind: 'array', elementType: mapOf('string', 'int'), containsNull: true })?.([[['b', 1], ['a', 2]], null])).toEqual([[['a', 2], ['b', 1]], null]);
  });
});

describe('widerType', () => {
  it('meets nested types element by element, nullability merged', () => {
    expect(widerType([{ kind: 'array', elementType: 'void', containsNull: false }, { kind: 'array', elementType: 'int', containsNull: false }]))
      .toEqual({ kind: 'array', elementType: 'int', containsNull: false });
    expect(widerType([{ kind: 'map', keyType: 'string', valueType: 'int', valueContainsNull: false }, mapOf('string', 'bigint')]))
      .toEqual(mapOf('string', 'bigint'));
    expect(widerType(['int', 'double', 'void'])).toBe('double');
    expect(widerType(['int', { kind: 'array', elementType: 'int', containsNull: true }])).toBeNull();
  });
});
