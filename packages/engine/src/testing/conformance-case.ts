import type { DataFrame } from '../api/data-frame.js';
import { expr } from '../api/functions.js';
import type { Column } from '../api/column.js';
import { SparkSession } from '../api/spark-session.js';
import { parseValue, stringifyValue } from '../core/value-json.js';
import { IllegalStateError } from '../errors/illegal-state-error.js';
import { QueryManager } from '../runtime/query-manager.js';
import { MemoryStream } from './memory-stream.js';
import { StreamTest } from './stream-test.js';

/**
 * A conformance case (conformance/README.md): a query written as data, its inputs and its
 * actions, run the same way by real Spark (to write the golden files) and by Sluice.
 */
export interface ConformanceCase {
  readonly description?: string;
  readonly inputs: Readonly<Record<string, string>>;
  readonly static?: Readonly<Record<string, { readonly schema: string; readonly rows: ReadonlyArray<readonly unknown[]> }>>;
  readonly conf?: Readonly<Record<string, string>>;
  readonly query: Frame;
  readonly outputMode?: string;
  readonly console?: { readonly numRows?: number; readonly truncate?: boolean };
  readonly actions: readonly Action[];
}

export interface Frame {
  readonly from: string;
  readonly ops?: ReadonlyArray<readonly unknown[]>;
}

export type Action =
  | { readonly addData: Readonly<Record<string, ReadonlyArray<readonly unknown[]>>> }
  | { readonly restart: true };

/** What a run printed: the console's bytes, and the error's message when the query failed. */
export interface ConformanceResult {
  readonly out: string;
  readonly err: string | null;
}

const str = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new IllegalStateError(`conformance case: ${what} must be a string, got ${JSON.stringify(v)}`);
  return v;
};
const strs = (v: unknown, what: string): string[] => {
  if (!Array.isArray(v)) throw new IllegalStateError(`conformance case: ${what} must be a list of strings`);
  return v.map((x) => str(x, what));
};

/** `"x DESC"` / `"x ASC"` / `"x"`: an ordering for orderBy. */
function sortOrder(text: string): Column {
  const m = /^(.*?)\s+(ASC|DESC)$/i.exec(text.trim());
  if (m === null) return expr(text);
  const e = expr(m[1] ?? '');
  return (m[2] ?? '').toUpperCase() === 'DESC' ? e.desc() : e.asc();
}

class CaseBuilder {
  readonly streams = new Map<string, MemoryStream>();

  constructor(private readonly spark: SparkSession, private readonly c: ConformanceCase) {
    for (const [name, schema] of Object.entries(c.inputs)) this.streams.set(name, MemoryStream.of(spark, schema));
  }

  frame(f: Frame): DataFrame {
    let df = this.source(f.from);
    for (const op of f.ops ?? []) df = this.apply(df, op);
    return df;
  }

  private source(name: string): DataFrame {
    const stream = this.streams.get(name);
    if (stream !== undefined) return stream.toDF();
    const table = this.c.static?.[name];
    if (table === undefined) throw new IllegalStateError(`conformance case: no input or static table named '${name}'`);
    return this.spark.createDataFrame(table.rows, table.schema);
  }

  private apply(df: DataFrame, op: readonly unknown[]): DataFrame {
    const [name, ...args] = op;
    switch (name) {
      case 'select': return df.selectExpr(...args.map((a) => str(a, 'select')));
      case 'where': return df.where(expr(str(args[0], 'where')));
      case 'withColumn': return df.withColumn(str(args[0], 'withColumn'), expr(str(args[1], 'withColumn')));
      case 'withColumnRenamed': return df.withColumnRenamed(str(args[0], 'withColumnRenamed'), str(args[1], 'withColumnRenamed'));
      case 'drop': return df.drop(...args.map((a) => str(a, 'drop')));
      case 'withWatermark': return df.withWatermark(str(args[0], 'withWatermark'), str(args[1], 'withWatermark'));
      case 'groupBy': return df.groupBy(...strs(args[0], 'groupBy keys').map((k) => expr(k))).agg(...strs(args[1], 'groupBy aggregates').map((a) => expr(a)));
      case 'dropDuplicates': return df.dropDuplicates(strs(args[0] ?? [], 'dropDuplicates'));
      case 'dropDuplicatesWithinWatermark': return df.dropDuplicatesWithinWatermark(strs(args[0] ?? [], 'dropDuplicatesWithinWatermark'));
      case 'join': {
        const other = this.frame(args[0] as Frame);
        const on = args[1];
        const how = args[2] === undefined ? 'inner' : str(args[2], 'join type');
        return Array.isArray(on) ? df.join(other, strs(on, 'join columns'), how) : df.join(other, expr(str(on, 'join condition')), how);
      }
      case 'union': return df.union(this.frame(args[0] as Frame));
      case 'orderBy': return df.orderBy(...args.map((a) => sortOrder(str(a, 'orderBy'))));
      case 'limit': return df.limit(Number(args[0]));
      case 'alias': return df.alias(str(args[0], 'alias'));
      default: throw new IllegalStateError(`conformance case: unknown op ${JSON.stringify(name)}`);
    }
  }
}

/**
 * A case file's JSON read as Spark's runner (Jackson) reads it: an integer past 2^53 keeps every
 * digit (a bigint), where JSON.parse would round it to the nearest double.
 */
export function readConformanceCase(text: string): ConformanceCase {
  const exact = text.replace(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g, (token) =>
    token.startsWith('"') || /[.eE]/.test(token) || Number.isSafeInteger(Number(token)) ? token : stringifyValue(BigInt(token)));
  return parseValue(exact) as ConformanceCase;
}

/** An error's message as the golden files hold it: one line, without the plan Spark appends. */
export function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return (message.split(';\n')[0] ?? '').trim();
}

/** Runs a case in Sluice's engine (in memory, batch after batch, as Spark's StreamTest). */
export function runConformanceCase(c: ConformanceCase): ConformanceResult {
  const spark = new SparkSession('conformance', new QueryManager());
  spark.conf.set('spark.sql.session.timeZone', 'UTC');
  // As the goldens' Spark session (SparkGoldens.java): 2 shuffle partitions unless the case sets it.
  spark.conf.set('spark.sql.shuffle.partitions', '2');
  for (const [k, v] of Object.entries(c.conf ?? {})) spark.conf.set(k, v);
  let test: StreamTest | null = null;
  try {
    const builder = new CaseBuilder(spark, c);
    const writer = builder.frame(c.query).writeStream.format('console').outputMode(c.outputMode ?? 'append');
    if (c.console?.numRows !== undefined) writer.option('numRows', c.console.numRows);
    if (c.console?.truncate !== undefined) writer.option('truncate', c.console.truncate);
    test = StreamTest.of(writer);
    for (const action of c.actions) {
      if ('restart' in action) {
        test.stopStream().startStream();
        continue;
      }
      const entries = Object.entries(action.addData).map(([name, rows]) => {
        const stream = builder.streams.get(name);
        if (stream === undefined) throw new IllegalStateError(`conformance case: addData to unknown input '${name}'`);
        return [stream, rows] as const;
      });
      test.multiAddData(entries).processAllAvailable();
    }
    return { out: test.consoleOutput, err: null };
  } catch (err) {
    if (err instanceof IllegalStateError && err.message.startsWith('conformance case')) throw err;
    return { out: test?.consoleOutput ?? '', err: errorText(err) };
  }
}
