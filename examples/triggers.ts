// Segment 3 of the tutorial: a 2-second processing-time trigger (lines typed within one interval land in one batch).
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/triggers.ts
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
  .trigger({ processingTime: "2 seconds" })
  .start();

await query.awaitTermination();
