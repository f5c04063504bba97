// Segment 1 of the tutorial: read lines from a socket and print them on the console.
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/read_from_socket.ts
import { SparkSession } from "sluice";

const spark = SparkSession
  .builder
  .appName("StructuredSocketRead")
  .getOrCreate();

const lines = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const query = lines
  .writeStream
  .outputMode("append")
  .format("console")
  .start();

await query.awaitTermination();
