// Segment 2 of the tutorial: output modes, complete. A query without aggregation cannot run in complete mode: start() fails with Spark's AnalysisException.
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/stream_output_modes_complete.ts
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
  .outputMode("complete")
  .format("console")
  .start();

await query.awaitTermination();
