// A streaming word count over socket lines: a stateful aggregation in complete mode, sorted
// (Spark allows sorting after an aggregation in complete mode).
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/word_count.ts
import { SparkSession, col, desc, explode, split } from "sluice";

const spark = SparkSession
  .builder
  .appName("StructuredNetworkWordCount")
  .getOrCreate();

const lines = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const words = lines.select(explode(split(col("value"), " ")).alias("word"));

const wordCounts = words.groupBy("word").count().orderBy(desc("count"), "word");

const query = wordCounts
  .writeStream
  .outputMode("complete")
  .format("console")
  .start();

await query.awaitTermination();
