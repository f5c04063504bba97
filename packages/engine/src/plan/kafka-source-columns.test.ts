import { SparkSession } from '../api/spark-session.js';
import { col, expr } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import type { Row } from '../core/types.js';
import type { ConsumedRecord } from '../kafka/kafka-port.js';
import { compilePlan } from '../operators/compile-plan.js';
import type { OperatorContext } from '../operators/operator.js';
import { QueryManager } from '../runtime/query-manager.js';
import { kafkaRecordRow } from '../sources/kafka-records.js';
import { InMemoryStateStore } from '../state/in-memory-state-store.js';
import { KAFKA_BINARY_COLUMNS, kafkaSourceColumns, type KafkaSourceColumns } from './kafka-source-columns.js';
import { optimizePlan } from '../execution/optimizer.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');

const kafka = (): DataFrame => spark.readStream.format('kafka').option('kafka.bootstrap.servers', '127.0.0.1:9092').option('subscribe', 't').load();
const columnsOf = (df: DataFrame): KafkaSourceColumns | undefined => kafkaSourceColumns(optimizePlan(df.plan, 'UTC')).get(0);

describe('kafkaSourceColumns: the form a Kafka source hands its key and value to the plan', () => {
  it('text where a cast to STRING is all the first projection does with a column, unread where nothing reads it', () => {
    expect(columnsOf(kafka().selectExpr('CAST(value AS STRING)'))).toEqual({ key: 'unread', value: 'text' });
    expect(columnsOf(kafka().selectExpr('CAST(key AS STRING) AS k', "from_json(CAST(value AS STRING), 'v BIGINT') AS j", 'timestamp')))
      .toEqual({ key: 'text', value: 'text' });
    expect(columnsOf(kafka().select(col('value').cast('string')))).toEqual({ key: 'unread', value: 'text' });
  });

  it('through the filters and the watermark right above the source', () => {
    const df = kafka().withWatermark('timestamp', '1 minute').where('length(CAST(value AS STRING)) > 2').selectExpr('CAST(value AS STRING) AS v');
    expect(columnsOf(df)).toEqual({ key: 'unread', value: 'text' });
    expect(columnsOf(kafka().where('key IS NOT NULL').selectExpr('CAST(value AS STRING)'))).toEqual({ key: 'hex', value: 'text' });
  });

  it('binary wherever a column is read otherwise, or the reads cannot be told', () => {
    expect(columnsOf(kafka().selectExpr('CAST(value AS STRING) AS s', 'value'))).toEqual({ key: 'unread', value: 'hex' });
    expect(columnsOf(kafka().selectExpr('length(value)', 'CAST(key AS STRING)'))).toEqual({ key: 'text', value: 'hex' });
    expect(columnsOf(kafka().selectExpr('*'))).toEqual(KAFKA_BINARY_COLUMNS);
    expect(columnsOf(kafka().selectExpr('CAST(value AS BINARY)'))).toEqual({ key: 'unread', value: 'hex' });
    // The sink, a join, an aggregate: the source's columns are not read through a projection.
    expect(columnsOf(kafka())).toEqual(KAFKA_BINARY_COLUMNS);
    expect(columnsOf(kafka().where('CAST(value AS STRING) = "a"'))).toEqual(KAFKA_BINARY_COLUMNS);
    expect(columnsOf(kafka().groupBy('value').count())).toEqual(KAFKA_BINARY_COLUMNS);
    expect(columnsOf(kafka().alias('k').selectExpr('CAST(k.value AS STRING)'))).toEqual(KAFKA_BINARY_COLUMNS);
  });

  it('a source read twice takes the wider form of the two', () => {
    const df = kafka();
    const both = df.selectExpr('CAST(value AS STRING) AS v').union(df.selectExpr('CAST(length(value) AS STRING) AS v'));
    expect(columnsOf(both)).toEqual({ key: 'unread', value: 'hex' });
  });
});

describe('a Kafka source whose value arrives as text gives the answers it gives as binary', () => {
  const record = (value: Buffer | null, key: Buffer | null = null): ConsumedRecord => ({
    topic: 't', partition: 0, offset: 0, timestamp: 1_700_000_000_000, key, value, headers: {}, headerList: [],
  });
  const records = [
    record(Buffer.from('{"v": 7, "s": "héllo"}')),
    record(Buffer.from([0xff, 0xfe, 0x41, 0xc3])), // not UTF-8: replacement characters either way
    record(Buffer.alloc(0), Buffer.from('k')),
    record(null, Buffer.from('key')),
  ];
  const ctx: OperatorContext = {
    batchId: 0, batchTimestampMs: 0, outputMode: 'append', stores: () => new InMemoryStateStore(), watermarkMs: 0, lateEventsWatermarkMs: 0,
    eventTime: { observe: () => undefined, register: () => undefined }, metrics: { droppedByWatermark: 0, evicted: 0, updated: 0, custom: {} }, shufflePartitions: 1,
  };
  const run = (df: DataFrame, form: 'found' | 'binary'): { names: string[]; types: unknown[]; rows: Row[] } => {
    const plan = optimizePlan(df.plan, 'UTC');
    const found = kafkaSourceColumns(plan);
    const columns = form === 'found' ? found : new Map<number, KafkaSourceColumns>();
    const op = compilePlan(plan, 'UTC', undefined, { kafkaColumns: columns });
    const rows = records.map((r) => kafkaRecordRow(r, false, columns.get(0)));
    return { names: op.output.map((f) => f.name), types: op.output.map((f) => f.type), rows: op.execute([rows], ctx) };
  };

  it.each([
    ['cast', (df: DataFrame) => df.selectExpr('CAST(value AS STRING)', 'CAST(key AS STRING)', 'offset')],
    ['from_json', (df: DataFrame) => df.selectExpr("from_json(CAST(value AS STRING), 'v BIGINT, s STRING') AS j").select('j.*')],
    ['filter', (df: DataFrame) => df.where('length(CAST(value AS STRING)) > 1').selectExpr('upper(CAST(value AS STRING)) AS u', 'TRY_CAST(key AS STRING) AS k')],
    ['expr', (df: DataFrame) => df.select(expr('CAST(value AS STRING)').alias('v'), col('key').cast('string'))],
  ])('%s', (_name, query) => {
    const df = query(kafka());
    expect(kafkaSourceColumns(optimizePlan(df.plan, 'UTC')).get(0)?.value).toBe('text');
    expect(run(df, 'found')).toEqual(run(df, 'binary'));
  });
});
