import { parseSchemaDdl } from './ddl-parser.js';
import { decimalParts, mapEntries, typeName, type DataType, type StructField, type Value } from '../core/types.js';
import { toBig, toJavaString } from '../core/decimal.js';
import { JsonNumber, writeJson } from './json-text.js';
import { castToString } from './cast.js';
import { AnalysisException } from '../errors/analysis-exception.js';
import { formatDateDays, formatTimestampMicros } from '../console/render-cell.js';
import { convertValue, FieldTypeMismatch } from './record-parser.js';
import type { Bound } from './bound.js';
import { firstJsonValueEnd } from './json-lines.js';
import { readFlatJsonObject } from './flat-json.js';

/** A schema as DDL text (what `from_json` takes as a string and `schema_of_json` gives). */
export function schemaToDdl(fields: readonly StructField[]): string {
  const type = (t: DataType): string => {
    if (typeof t === 'string') return t.toUpperCase();
    if (t.kind === 'array') return `ARRAY<${type(t.elementType)}>`;
    if (t.kind === 'map') return `MAP<${type(t.keyType)}, ${type(t.valueType)}>`;
    return `STRUCT<${t.fields.map((f) => `${f.name}: ${type(f.type)}`).join(', ')}>`;
  };
  return fields.map((f) => `${f.name} ${type(f.type)}${f.nullable ? '' : ' NOT NULL'}`).join(', ');
}

/**
 * `from_json(jsonStr, schema)`: the struct the JSON text holds (PERMISSIVE: NULL fields when
 * the text does not parse or a value does not fit).
 */
export function bindFromJson(args: readonly Bound[], timeZone: string): Bound {
  const [text, schemaArg] = args;
  const ddl = schemaArg?.eval([], { batchTimestampMs: 0 });
  if (text === undefined || typeof ddl !== 'string') throw new AnalysisException('[INVALID_SCHEMA.NON_STRING_LITERAL] The input schema of from_json must be a string literal (DDL) or a StructType. SQLSTATE: 42K07');
  const fields = parseSchemaDdl(ddl);
  const type: DataType = { kind: 'struct', fields };
  const te = text.eval;
  const nulls = fields.map(() => null);
  // Where the fast path reads a record's values, by field position.
  const names = fields.map((f) => f.name);
  const flat: unknown[] = fields.map(() => undefined);
  const convert = (valueOf: (f: StructField, i: number) => unknown): Value => {
    const out: Value[] = new Array<Value>(fields.length);
    try {
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i] as StructField;
        out[i] = convertValue(valueOf(f, i), f.type, timeZone, false);
      }
      return out;
    } catch (err) {
      if (err instanceof FieldTypeMismatch) return nulls;
      throw err;
    }
  };
  const fromFlat = (_: StructField, i: number): unknown => flat[i];
  return {
    type, nullable: true, sql: `from_json(${text.sql})`, name: `from_json(${text.sql})`,
    eval: (row, ctx) => {
      const raw = te(row, ctx);
      if (raw === null) return null;
      const json = String(raw);
      flat.fill(undefined);
      if (readFlatJsonObject(json, names, flat)) return convert(fromFlat);
      const obj = parseFirstJsonValue(json);
      if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return nulls;
      // Own keys only: a field named like an Object method ("toString") that the text lacks is NULL.
      return convert((f) => (Object.hasOwn(obj, f.name) ? (obj as Record<string, unknown>)[f.name] : undefined));
    },
  };
}

/**
 * The first JSON value of `text` (Spark's parser reads it and ignores what follows), or
 * undefined when there is none. Text that is one JSON value as a whole, the usual case, parses
 * at once; only other text is scanned for where its first value ends.
 */
function parseFirstJsonValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  const end = firstJsonValueEnd(text);
  if (end < 0 || end === text.length) return undefined;
  try {
    return JSON.parse(text.slice(0, end)) as unknown;
  } catch (err) {
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function jsonValue(v: Value, type: DataType, timeZone: string): unknown {
  if (v === null) return null;
  if (typeof type !== 'string') {
    const items = v as readonly Value[];
    if (type.kind === 'array') return items.map((x) => jsonValue(x, type.elementType, timeZone));
    if (type.kind === 'map') {
      // JacksonGenerator.writeMapData: each key as its string form, NULL values written as null.
      const entries = mapEntries(v).map(([k, x]) => [k === null ? 'null' : castToString(k, type.keyType, timeZone), jsonValue(x, type.valueType, timeZone)]);
      return Object.fromEntries(entries);
    }
    const out: Record<string, unknown> = {};
    type.fields.forEach((f, i) => {
      const x = items[i] ?? null;
      if (x !== null) out[f.name] = jsonValue(x, f.type, timeZone);
    });
    return out;
  }
  if (type === 'timestamp') return formatTimestampMicros(Number(v), timeZone).replace(' ', 'T');
  if (type === 'date') return formatDateDays(Number(v));
  const decimal = decimalParts(type);
  if (decimal !== undefined) return new JsonNumber(toJavaString(toBig(v), decimal.scale));
  return v;
}

/** `to_json(struct)`: the JSON text of a struct (NULL fields left out, as Spark does). */
export function bindToJson(args: readonly Bound[], timeZone: string): Bound {
  const [child] = args;
  if (child === undefined || typeof child.type === 'string') {
    throw new AnalysisException(`[DATATYPE_MISMATCH.INVALID_JSON_SCHEMA] to_json needs a struct, array or map, got ${child === undefined ? 'nothing' : typeName(child.type)}. SQLSTATE: 42K09`);
  }
  const type = child.type;
  const ce = child.eval;
  return {
    type: 'string', nullable: child.nullable, sql: `to_json(${child.sql})`, name: `to_json(${child.sql})`,
    eval: (row, ctx) => {
      const v = ce(row, ctx);
      return v === null ? null : writeJson(jsonValue(v, type, timeZone));
    },
  };
}

/** `struct(a, b AS c)`: a struct of the arguments, fields named by their column names. */
export function bindStruct(args: readonly Bound[]): Bound {
  const type: DataType = { kind: 'struct', fields: args.map((a) => ({ name: a.name, type: a.type, nullable: a.nullable })) };
  const evals = args.map((a) => a.eval);
  const sql = `struct(${args.map((a) => a.sql).join(', ')})`;
  return { type, nullable: false, sql, name: sql, eval: (row, ctx) => evals.map((e) => e(row, ctx)) };
}
