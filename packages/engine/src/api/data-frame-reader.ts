import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OptionError } from '../errors/option-error.js';
import { isInProgressName } from '../runtime/ingest/file-drop-ingest.js';
import { parseCsvLine, splitCsvLine } from '../expressions/csv-lines.js';
import { parseJsonLine } from '../expressions/json-lines.js';
import type { ParseMode, RecordOptions } from '../expressions/record-parser.js';
import { DataFrame } from './data-frame.js';
import { asNullable, SchemaReader } from './options-builder.js';
import type { OptionValue } from '../core/options.js';
import type { SparkSession } from './spark-session.js';
import type { AtomicType, Row, Schema } from '../core/types.js';

/** The files of a path: the file itself, or the visible files of a directory. */
function filesOf(path: string): string[] {
  const abs = resolve(path);
  let s;
  try {
    s = statSync(abs);
  } catch {
    throw new OptionError(`[PATH_NOT_FOUND] Path does not exist: file:${abs}. SQLSTATE: 42K03`);
  }
  if (!s.isDirectory()) return [abs];
  return readdirSync(abs).filter((n) => !isInProgressName(n)).sort().map((n) => join(abs, n)).filter((p) => statSync(p).isFile());
}

function inferType(values: readonly string[]): AtomicType {
  const present = values.filter((v) => v !== '');
  if (present.length === 0) return 'string';
  if (present.every((v) => /^[+-]?\d+$/.test(v))) return present.every((v) => Math.abs(Number(v)) <= 2147483647) ? 'int' : 'bigint';
  if (present.every((v) => !Number.isNaN(Number(v)))) return 'double';
  if (present.every((v) => /^(true|false)$/i.test(v))) return 'boolean';
  return 'string';
}

/**
 * `spark.read`: a static DataFrame from files, read when it is made (the rows travel in the
 * plan, as Spark's LocalRelation), for stream-static joins.
 */
export class DataFrameReader extends SchemaReader {
  private sourceFormat = 'parquet';

  constructor(private readonly session: SparkSession) {
    super();
  }

  format(source: string): this {
    this.sourceFormat = source.toLowerCase();
    return this;
  }

  csv(path: string, options: Readonly<Record<string, OptionValue>> = {}): DataFrame {
    return this.format('csv').options(options).load(path);
  }

  json(path: string): DataFrame {
    return this.format('json').load(path);
  }

  text(path: string): DataFrame {
    return this.format('text').load(path);
  }

  load(path?: string): DataFrame {
    const where = path ?? this.opts.get('path');
    if (where === undefined) throw new OptionError("a path is needed: load(path) or option('path', ...)");
    const lines = filesOf(where).flatMap((f) => readFileSync(f, 'utf8').split(/\r?\n/).filter((l) => l !== ''));
    const mode = (this.opts.get('mode') ?? 'PERMISSIVE').toUpperCase() as ParseMode;
    const base = { timeZone: this.session.timeZone, mode, corruptColumn: this.opts.get('columnNameOfCorruptRecord') ?? '_corrupt_record' };
    let schema: Schema;
    let rows: Row[];
    switch (this.sourceFormat) {
      case 'csv': {
        const sep = this.opts.get('sep') ?? this.opts.get('delimiter') ?? ',';
        const header = this.opts.getBoolean('header', false);
        const body = header ? lines.slice(1) : lines;
        if (this.userSchema !== null) schema = asNullable(this.userSchema);
        else {
          const first = splitCsvLine(lines[0] ?? '', sep).map((c) => c.text);
          const names = header ? first : first.map((_, i) => `_c${i}`);
          const infer = this.opts.getBoolean('inferSchema', false);
          const cells = body.map((l) => splitCsvLine(l, sep).map((c) => c.text));
          schema = names.map((name, i) => ({ name, type: infer ? inferType(cells.map((c) => c[i] ?? '')) : 'string', nullable: true }));
        }
        const options: RecordOptions = { ...base, schema };
        rows = body.map((l) => parseCsvLine(l, sep, options)).flatMap((p) => (p.kind === 'skip' || p.row === null ? [] : [p.row]));
        break;
      }
      case 'json': {
        if (this.userSchema === null) throw new OptionError('the json reader needs a schema: spark.read.schema(...).json(path)');
        schema = asNullable(this.userSchema);
        const options: RecordOptions = { ...base, schema };
        rows = lines.map((l) => parseJsonLine(l, options)).flatMap((p) => (p.kind === 'skip' || p.row === null ? [] : [p.row]));
        break;
      }
      case 'text':
        schema = [{ name: 'value', type: 'string', nullable: true }];
        rows = lines.map((l) => [l]);
        break;
      default:
        throw new OptionError(`unsupported format '${this.sourceFormat}' for spark.read; supported: csv, json, text`);
    }
    return new DataFrame(this.session, { node: 'LocalRelation', schema, rows, description: `${this.sourceFormat} ${resolve(where)}` });
  }
}
