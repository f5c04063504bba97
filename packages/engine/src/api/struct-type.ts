import { parseDataType } from '../expressions/ddl-parser.js';
import { typeName, type ArrayType as ArrayShape, type DataType, type MapType as MapShape, type StructField as FieldShape, type StructType as StructShape } from '../core/types.js';

/**
 * PySpark's schema builders: `new StructType().add("a", "string").add("b", IntegerType())`.
 * A StructType is itself a struct data type, so it can be a field's type or a reader's schema.
 */
export class StructType implements StructShape {
  readonly kind = 'struct' as const;
  readonly fields: FieldShape[];

  constructor(fields: readonly FieldShape[] = []) {
    this.fields = [...fields];
  }

  add(name: string, type: string | DataType, nullable = true): StructType {
    return new StructType([...this.fields, { name, type: typeof type === 'string' ? parseDataType(type) : type, nullable }]);
  }

  get fieldNames(): string[] {
    return this.fields.map((f) => f.name);
  }

  /** Spark's `simpleString`: `struct<a:string,b:int>`. */
  simpleString(): string {
    return typeName(this);
  }

  toJSON(): StructShape {
    return { kind: 'struct', fields: this.fields };
  }
}

export const StringType = (): DataType => 'string';
export const BooleanType = (): DataType => 'boolean';
export const ByteType = (): DataType => 'tinyint';
export const ShortType = (): DataType => 'smallint';
export const IntegerType = (): DataType => 'int';
export const LongType = (): DataType => 'bigint';
export const FloatType = (): DataType => 'float';
export const DoubleType = (): DataType => 'double';
export const TimestampType = (): DataType => 'timestamp';
export const DateType = (): DataType => 'date';
export const BinaryType = (): DataType => 'binary';
export const ArrayType = (elementType: DataType, containsNull = true): ArrayShape => ({ kind: 'array', elementType, containsNull });
/** `MapType(StringType(), IntegerType(), valueContainsNull=true)` as PySpark writes it. */
export const MapType = (keyType: DataType, valueType: DataType, valueContainsNull = true): MapShape => ({ kind: 'map', keyType, valueType, valueContainsNull });
/** `StructField("a", StringType(), true)` as PySpark writes it. */
export const StructField = (name: string, type: DataType, nullable = true): FieldShape => ({ name, type, nullable });
