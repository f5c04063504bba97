// The word count with a checkpoint location: stop it (or kill it) and start it again, and it
// goes on from where it was — same batch ids, same counts.
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/word_count_checkpointed.ts
import { SparkSession, col, explode, split } from "sluice";

const spark = SparkSession
  .builder
  .appName("CheckpointedWordCount")
  .getOrCreate();

const lines = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const wordCounts = lines
  .select(explode(split(col("value"), " ")).alias("word"))
  .groupBy("word")
  .count()
  .orderBy("word");

const query = wordCounts
  .writeStream
  .outputMode("complete")
  .format("console")
  .option("checkpointLocation", "checkpoints/word-count")
  .start();

await query.awaitTermination();
