// Segment 5 of the tutorial: an inner join of two socket streams (players typed on two sockets).
// Start two line servers first:  nc -lk 12345   and   nc -lk 12346
// Then run:                      npx sluice run examples/join_stream_stream.ts
import { SparkSession, expr } from "sluice";

const spark = SparkSession
  .builder
  .appName("StructuredSocketRead")
  .getOrCreate();

spark.sparkContext.setLogLevel("WARN");

const stream1 = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const streamDF1 = stream1.selectExpr("value as player");

const stream2 = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12346)
  .load();

const streamDF2 = stream2.selectExpr("value as person");

// Inner Join Example
const joinedDF = streamDF1.join(streamDF2, expr("player = person"));

const query = joinedDF
  .writeStream
  .outputMode("append")
  .format("console")
  .start();

await query.awaitTermination();
