// Segment 2 of the tutorial: output modes, update (a query without aggregation updates like it appends).
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/stream_output_modes_update.ts
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
  .start();

await query.awaitTermination();
