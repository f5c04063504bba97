import { parseSchemaDdl } from '../expressions/ddl-parser.js';
import { CaseInsensitiveOptions, type OptionValue } from '../core/options.js';
import type { StructType } from './struct-type.js';
import type { DataType, Schema } from '../core/types.js';

/** `option(key, value)` and `options({...})`, as every PySpark reader and writer has them. */
export abstract class OptionsBuilder {
  protected readonly opts = new CaseInsensitiveOptions();

  option(key: string, value: OptionValue): this {
    this.opts.set(key, value);
    return this;
  }

  options(options: Readonly<Record<string, OptionValue>>): this {
    for (const [k, v] of Object.entries(options)) this.opts.set(k, v);
    return this;
  }
}

/** A reader: options plus a user schema, as a StructType or DDL (`"a STRING, b INT"`). */
export abstract class SchemaReader extends OptionsBuilder {
  protected userSchema: Schema | null = null;

  schema(schema: StructType | string): this {
    this.userSchema = typeof schema === 'string' ? parseSchemaDdl(schema) : schema.fields;
    return this;
  }
}

function nullableType(type: DataType): DataType {
  if (typeof type === 'string') return type;
  if (type.kind === 'array') return { ...type, elementType: nullableType(type.elementType), containsNull: true };
  if (type.kind === 'map') return { ...type, keyType: nullableType(type.keyType), valueType: nullableType(type.valueType), valueContainsNull: true };
  return { ...type, fields: asNullable(type.fields) };
}

/** Spark's StructType.asNullable: every field (nested ones too) nullable, as file sources read a user schema. */
export function asNullable(schema: Schema): Schema {
  return schema.map((f) => ({ ...f, type: nullableType(f.type), nullable: true }));
}
