/** Spark SQL data types, as the plan document and the console name them. */
export const DATA_TYPES = ['string', 'int', 'bigint', 'double', 'boolean', 'timestamp'] as const;
export type DataType = (typeof DATA_TYPES)[number];

export interface StructField {
  readonly name: string;
  readonly type: DataType;
  readonly nullable: boolean;
}

export type Schema = readonly StructField[];

/**
 * A cell value. Timestamps travel as microseconds since the epoch (Spark's internal unit);
 * bigints as JS numbers while they fit, as Spark's JSON does.
 */
export type Value = string | number | boolean | null;

/** A row is positional: cell i belongs to field i of the schema. */
export type Row = readonly Value[];

export function isDataType(value: unknown): value is DataType {
  return typeof value === 'string' && (DATA_TYPES as readonly string[]).includes(value);
}
