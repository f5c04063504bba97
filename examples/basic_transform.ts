// Segment 4 of the tutorial: a transformation, keeping lines longer than 4 characters.
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/basic_transform.ts
import { SparkSession, col, length } from "sluice";

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

// PySpark: lines.filter(length(col("value")) > 4)
const transformedDF = lines.filter(length(col("value")).gt(4));

const query = transformedDF
  .writeStream
  .outputMode("append")
  .format("console")
  .start();

await query.awaitTermination();
