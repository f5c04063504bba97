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

export type DataType = AtomicType | ArrayType | StructType;

export interface StructField {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

export type Schema = readonly StructField[];

/**
 * A cell value. Integral and floating values are JS numbers (bigint beyond 2^53 is not
 * supported); timestamps are microseconds since the epoch and dates days since the epoch
 * (Spark's internal units); binary is a hex string; arrays are arrays; structs are positional
 * arrays of their fields' values.
 */
export type Value = string | number | boolean | null | readonly Value[];

/** A row is positional: cell i belongs to field i of the schema. */
export type Row = readonly Value[];

export function isAtomicType(value: unknown): value is AtomicType {
  return typeof value === 'string' && (ATOMIC_TYPES as readonly string[]).includes(value);
}

export function isDataType(value: unknown): value is DataType {
  if (isAtomicType(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  if (v['kind'] === 'array') return isDataType(v['elementType']) && typeof v['containsNull'] === 'boolean';
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
  return `struct<${type.fields.map((f) => `${f.name}:${typeName(f.type)}`).join(',')}>`;
}

/** Spark's `sql` form of a type, as error messages quote it: `"INT"`, `"ARRAY<STRING>"`. */
export function typeSql(type: DataType): string {
  if (typeof type === 'string') return type === 'void' ? 'VOID' : type === 'interval' ? 'INTERVAL DAY TO SECOND' : type.toUpperCase();
  if (type.kind === 'array') return `ARRAY<${typeSql(type.elementType)}>`;
  return `STRUCT<${type.fields.map((f) => `${f.name}: ${typeSql(f.type)}`).join(', ')}>`;
}

export const NUMERIC_TYPES: readonly AtomicType[] = ['tinyint', 'smallint', 'int', 'bigint', 'float', 'double'];

export function isNumeric(type: DataType): boolean {
  return typeof type === 'string' && NUMERIC_TYPES.includes(type);
}

export function isIntegral(type: DataType): boolean {
  return type === 'tinyint' || type === 'smallint' || type === 'int' || type === 'bigint';
}

export function sameType(a: DataType, b: DataType): boolean {
  return typeName(a) === typeName(b);
}
