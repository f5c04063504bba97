import { parseSchemaDdl } from './ddl-parser.js';
import { CaseInsensitiveOptions, type OptionValue } from './options.js';
import type { StructType } from './struct-type.js';
import type { Schema } from './types.js';

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
