import { SparkSession } from '../api/spark-session.js';
import { col, count, explode, split, window } from '../api/functions.js';
import type { DataFrame } from '../api/data-frame.js';
import { QueryManager } from '../runtime/query-manager.js';
import { StreamTest } from '../testing/stream-test.js';

const spark = new SparkSession('test', new QueryManager());
spark.conf.set('spark.sql.session.timeZone', 'UTC');
const lines = (ts = false): DataFrame =>
  spark.readStream.format('socket').option('host', 'localhost').option('port', 1).option('includeTimestamp', ts).load();
const at = (hh: number, mm: number): number => Date.UTC(2024, 0, 1, hh, mm) * 1000;

/** Each stateful operator resumes from its checkpoint (StreamTest's stopStream / startStream). */
describe('restart from checkpoint, per stateful operator', () => {
  it('aggregation keeps its counts', () => {
    StreamTest.of(lines().select(explode(split(col('value'), ' ')).alias('w')).groupBy('w').count().writeStream.outputMode('update'))
      .addData(['a b']).checkLastBatch([['b', 1], ['a', 1]])
      .stopStream().startStream()
      .addData(['a']).checkLastBatch([['a', 2]]);
  });

  it('dropDuplicates remembers the keys it saw', () => {
    StreamTest.of(lines().dropDuplicates(['value']).writeStream)
      .addData(['x', 'y']).checkLastBatch([['x'], ['y']])
      .stopStream().startStream()
      .addData(['y', 'z']).checkLastBatch([['z']]);
  });

  it('limit keeps its count', () => {
    StreamTest.of(lines().limit(2).writeStream)
      .addData(['1']).stopStream().startStream()
      .addData(['2', '3']).checkLastBatch([['2']]);
  });

  it('a windowed aggregation keeps its windows and watermark', () => {
    StreamTest.of(lines(true).withWatermark('timestamp', '10 minutes').groupBy(window('timestamp', '10 minutes')).agg(count('*')).writeStream.outputMode('append'))
      .addData([['e', at(12, 1)]]).processAllAvailable()
      .stopStream().startStream()
      .addData([['e', at(12, 25)]]).processAllAvailable()
      .checkLastBatch([[[at(12, 0), at(12, 10)], 1]]);
  });

  it('stream-stream join keeps both sides', () => {
    const left = lines().selectExpr('value AS a');
    const right = lines().selectExpr('value AS b');
    StreamTest.of(left.join(right, col('a').eq(col('b'))).writeStream)
      .addData([['k'], []] as never, true).stopStream().startStream()
      .addData([[], ['k']] as never, true).checkLastBatch([['k', 'k']]);
  });

  it('a failing batch leaves the committed state as it was', () => {
    StreamTest.of(lines().selectExpr('CAST(value AS INT) AS n').groupBy('n').count().writeStream.outputMode('update'))
      .addData(['1']).expectFailure(['1', 'x'], /CAST_INVALID_INPUT/)
      .addData(['1']).checkLastBatch([[1, 2]]);
  });
});
