import { resolve as resolvePath } from 'node:path';
import { AnalysisException } from '../errors/analysis-exception.js';
import { OptionError } from '../errors/option-error.js';
import type { StreamingSourceNode } from '../plan/logical-plan.js';
import { DataFrame } from './data-frame.js';
import { asNullable, SchemaReader } from './options-builder.js';
import type { SparkSession } from './spark-session.js';
import { kafkaSourceSchema } from '../sources/kafka-records.js';
import { validateKafkaStreamOptions } from '../sources/kafka-source-options.js';
import { typeName, type Schema } from '../core/types.js';

const SUPPORTED_FORMATS = ['socket', 'json', 'csv', 'text', 'kafka', 'rate'] as const;
/** `spark.sql.streaming.fileSource.schema.forceNullable` (default true). */
const FORCE_NULLABLE = 'spark.sql.streaming.fileSource.schema.forceNullable';

/** The text source takes a user schema of one string column, named as the user likes (TextFileFormat.verifySchema). */
function textSchema(schema: Schema): Schema {
  if (schema.length !== 1) throw new AnalysisException(`Text data source supports only a single column, and you have ${schema.length} columns.`);
  const field = schema[0];
  if (field !== undefined && field.type !== 'string') {
    throw new AnalysisException(`[UNSUPPORTED_DATA_TYPE_FOR_DATASOURCE] The Text datasource doesn't support the column \`${field.name}\` of the type ${JSON.stringify(typeName(field.type).toUpperCase())}.`);
  }
  return schema;
}

const FILE_FORMATS = new Set(['json', 'csv', 'text']);

/** `spark.readStream`: describes a streaming source, as PySpark's DataStreamReader. */
export class DataStreamReader extends SchemaReader {
  private sourceFormat = '';

  constructor(private readonly session: SparkSession) {
    super();
  }

  format(source: string): this {
    this.sourceFormat = source;
    return this;
  }

  /** A directory of JSON-lines files: `readStream.schema(s).json("data/")`. */
  json(path: string): DataFrame {
    return this.format('json').load(path);
  }

  csv(path: string): DataFrame {
    return this.format('csv').load(path);
  }

  text(path: string): DataFrame {
    return this.format('text').load(path);
  }

  load(path?: string): DataFrame {
    const format = this.sourceFormat.toLowerCase();
    if (!(SUPPORTED_FORMATS as readonly string[]).includes(format)) {
      throw new OptionError(`unsupported streaming source format '${this.sourceFormat}'; supported: ${SUPPORTED_FORMATS.join(', ')}`);
    }
    if (FILE_FORMATS.has(format)) return this.loadFiles(format, path ?? this.opts.get('path'));
    if (format === 'kafka') return this.loadKafka();
    if (format === 'rate') {
      this.opts.getInt('rowsPerSecond', 1, 0);
      const schema: Schema = [{ name: 'timestamp', type: 'timestamp', nullable: true }, { name: 'value', type: 'bigint', nullable: true }];
      return new DataFrame(this.session, { node: 'StreamingSource', index: 0, format, options: this.opts.toRecord(), schema });
    }
    const host = this.opts.get('host');
    if (this.userSchema !== null) {
      throw new AnalysisException('The socket source does not support a user-specified schema.');
    }
    // TextSocketSourceProvider.checkParameters
    if (host === undefined) throw new AnalysisException('Set a host to read from with option("host", ...).');
    if (this.opts.get('port') === undefined) throw new AnalysisException('Set a port to read from with option("port", ...).');
    const port = this.opts.getInt('port', 0, 0);
    if (port > 65535) throw new OptionError(`option 'port' must be within 0-65535, got '${port}'`);
    const schema: Schema = this.opts.getBoolean('includeTimestamp', false)
      ? [{ name: 'value', type: 'string', nullable: true }, { name: 'timestamp', type: 'timestamp', nullable: true }]
      : [{ name: 'value', type: 'string', nullable: true }];
    const node: StreamingSourceNode = { node: 'StreamingSource', index: 0, format, options: this.opts.toRecord(), schema };
    return new DataFrame(this.session, node);
  }

  /** Spark's Kafka source: key, value (binary), topic, partition, offset, timestamp, timestampType. */
  private loadKafka(): DataFrame {
    validateKafkaStreamOptions(this.opts);
    if (this.userSchema !== null) throw new AnalysisException('Kafka source has a fixed schema and cannot be set with a custom one');
    this.opts.getInt('maxOffsetsPerTrigger', 1, 1);
    const schema = kafkaSourceSchema(this.opts.getBoolean('includeHeaders', false));
    const node: StreamingSourceNode = { node: 'StreamingSource', index: 0, format: 'kafka', options: this.opts.toRecord(), schema };
    return new DataFrame(this.session, node);
  }

  /** The file source: a directory watched for new files (Spark's FileStreamSource). */
  private loadFiles(format: string, path: string | undefined): DataFrame {
    if (path === undefined || path === '') throw new OptionError(`the ${format} source needs a directory: ${format}("dir/") or option("path", ...)`);
    let schema: Schema;
    if (format === 'text') schema = this.userSchema === null ? [{ name: 'value', type: 'string', nullable: true }] : textSchema(this.userSchema);
    else if (this.userSchema === null) {
      throw new OptionError(
        "Schema must be specified when creating a streaming source DataFrame. If some files already exist in the directory, then depending on the file format you may be able to create a static DataFrame on that directory with 'spark.read.load(directory)' and infer schema from it.",
      );
    } else schema = this.userSchema;
    // SPARK-28651: the file source reads its schema as nullable, unless the setting says not to.
    if ((this.session.conf.get(FORCE_NULLABLE) ?? 'true').trim().toLowerCase() !== 'false') schema = asNullable(schema);
    // Files are read relative to where the program runs; the plan keeps the absolute path.
    this.opts.set('path', resolvePath(path));
    const node: StreamingSourceNode = { node: 'StreamingSource', index: 0, format, options: this.opts.toRecord(), schema };
    return new DataFrame(this.session, node);
  }
}
