// Segment 3 of the tutorial: the once trigger (one batch of what is there, then the program ends).
// A socket source has no offset until it is read, so, as in Spark 4.2, that batch is an empty Batch: 0.
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/triggers_once.ts
import { SparkSession } from "sluice";

const spark = SparkSession
  .builder
  .appName("StructuredSocketRead")
  .getOrCreate();

spark.sparkContext.setLogLevel("WARN");

const lines = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const query = lines
  .writeStream
  .outputMode("update")
  .format("console")
  .trigger({ once: true })
  .start();

await query.awaitTermination();
