/**
 * Spark SQL data types. Atomic types are their Spark names (as `catalogString` prints them);
 * arrays and structs are objects. Everything here is plain data, so plans serialise to JSON.
 */
export const ATOMIC_TYPES = [
  'string', 'boolean', 'tinyint', 'smallint', 'int', 'bigint', 'float', 'double',
  'timestamp', 'date', 'binary', 'void', 'interval', 'interval year to month',
] as const;
export type AtomicType = (typeof ATOMIC_TYPES)[number];

/** Spark's YearMonthIntervalType (`INTERVAL 1 YEAR 2 MONTHS`): a value is a number of months. */
export const YEAR_MONTH = 'interval year to month';

export interface ArrayType {
  readonly kind: 'array';
  readonly elementType: DataType;
  readonly containsNull: boolean;
}

export interface StructType {
  readonly kind: 'struct';
  readonly fields: readonly StructField[];
}

/**
 * Spark's MapType. A value is an array of `[key, value]` entries in insertion order (Spark's
 * ArrayBasedMapData keeps its keys and values in that order); keys are never NULL.
 */
export interface MapType {
  readonly kind: 'map';
  readonly keyType: DataType;
  readonly valueType: DataType;
  readonly valueContainsNull: boolean;
}

/**
 * Spark's DecimalType(precision, scale), named as its `catalogString` is (`decimal(10,2)`), so it
 * stays a plain string like the atomic types. A value is the unscaled integer: a number when it
 * is a safe integer, else a bigint (decimal.ts).
 */
export type DecimalType = `decimal(${number},${number})`;

export type DataType = AtomicType | DecimalType | ArrayType | StructType | MapType;

export interface StructField {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

export type Schema = readonly StructField[];

/**
 * A cell value. Integral and floating values are JS numbers, except a BIGINT beyond 2^53 (a
 * bigint: every exact integer is a number when it is safe, so equal values are `===`); a
 * DECIMAL is its unscaled integer in the same form; timestamps are microseconds since the epoch and dates days since the epoch
 * (Spark's internal units); binary is a hex string; arrays are arrays; structs are positional
 * arrays of their fields' values; maps are arrays of `[key, value]` entries.
 */
export type Value = string | number | bigint | boolean | null | readonly Value[];

/** A row is positional: cell i belongs to field i of the schema. */
export type Row = readonly Value[];

export function isAtomicType(value: unknown): value is AtomicType {
  return typeof value === 'string' && (ATOMIC_TYPES as readonly string[]).includes(value);
}

const DECIMAL_NAME = /^decimal\((\d+),(\d+)\)$/;

/** A DecimalType's precision and scale; undefined for any other type. */
export function decimalParts(type: DataType): { readonly precision: number; readonly scale: number } | undefined {
  if (typeof type !== 'string' || !type.startsWith('decimal(')) return undefined;
  const m = DECIMAL_NAME.exec(type);
  return m === null ? undefined : { precision: Number(m[1]), scale: Number(m[2]) };
}

export function isDecimal(type: DataType): type is DecimalType {
  return decimalParts(type) !== undefined;
}

/** DecimalType(precision, scale); precision 1..38 and scale 0..precision are the caller's to check. */
export function decimalType(precision: number, scale: number): DecimalType {
  return `decimal(${precision},${scale})`;
}

export function isDataType(value: unknown): value is DataType {
  if (isAtomicType(value)) return true;
  if (typeof value === 'string') {
    const d = decimalParts(value as DataType);
    return d !== undefined && d.precision >= 1 && d.precision <= 38 && d.scale <= d.precision;
  }
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['kind'] === 'array') return isDataType(v['elementType']) && typeof v['containsNull'] === 'boolean';
  if (v['kind'] === 'map') return isDataType(v['keyType']) && isDataType(v['valueType']) && typeof v['valueContainsNull'] === 'boolean';
  if (v['kind'] === 'struct') {
    return Array.isArray(v['fields']) && v['fields'].every((f: unknown) => {
      if (typeof f !== 'object' || f === null) return false;
      const field = f as Record<string, unknown>;
      return typeof field['name'] === 'string' && isDataType(field['type']) && typeof field['nullable'] === 'boolean';
    });
  }
  return false;
}

/** Spark's `catalogString`: `int`, `array<string>`, `struct<start:timestamp,end:timestamp>`. */
export function typeName(type: DataType): string {
  if (typeof type === 'string') return type;
  if (type.kind === 'array') return `array<${typeName(type.elementType)}>`;
  if (type.kind === 'map') return `map<${typeName(type.keyType)},${typeName(type.valueType)}>`;
  return `struct<${type.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
}

/** Spark's `sql` form of a type, as error messages quote it: `"INT"`, `"ARRAY<STRING>"`. */
export function typeSql(type: DataType): string {
  if (typeof type === 'string') return type === 'void' ? 'VOID' : type === 'interval' ? 'INTERVAL DAY TO SECOND' : type.toUpperCase();
  if (type.kind === 'array') return `ARRAY<${typeSql(type.elementType)}>`;
  if (type.kind === 'map') return `MAP<${typeSql(type.keyType)}, ${typeSql(type.valueType)}>`;
  return `STRUCT<${type.fields.map((f) => `${f.name}: ${typeSql(f.type)}`).join(', ')}>`;
}

export const NUMERIC_TYPES: readonly AtomicType[] = ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double'];

/** Integral or floating (a DECIMAL is numeric too in Spark, but its values are unscaled: see isDecimal). */
export function isNumeric(type: DataType): boolean {
  return typeof type === 'string' && (NUMERIC_TYPES as readonly string[]).includes(type);
}

export function isIntegral(type: DataType): boolean {
  return type === 'tinyint' || type === 'smallint' || type === 'int' || type === 'bigint';
}

export function sameType(a: DataType, b: DataType): boolean {
  return typeName(a) === typeName(b);
}

export function isMapType(type: DataType): type is MapType {
  return typeof type !== 'string' && type.kind === 'map';
}

/** Whether a type is or holds a map (Spark's `dataType.existsRecursively(_.isInstanceOf[MapType])`). */
export function containsMap(type: DataType): boolean {
  if (typeof type === 'string') return false;
  if (type.kind === 'map') return true;
  if (type.kind === 'array') return containsMap(type.elementType);
  return type.fields.some((f) => containsMap(f.type));
}

/** The `[key, value]` entries of a map value (see MapType). */
export function mapEntries(value: Value): ReadonlyArray<readonly [Value, Value]> {
  if (!Array.isArray(value)) return [];
  return (value as readonly Value[]).map((e) => {
    const [k = null, v = null] = Array.isArray(e) ? (e as readonly Value[]) : [];
    return [k, v] as const;
  });
}
