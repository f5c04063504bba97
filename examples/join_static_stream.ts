// Segment 5 of the tutorial: an inner join of a socket stream with a static CSV table.
// Start a line server first:  nc -lk 12345
// Then run from examples/:    npx sluice run join_static_stream.ts      (reads testdir/players.csv)
import { SparkSession, expr } from "sluice";

const spark = SparkSession
  .builder
  .appName("StructuredSocketRead")
  .getOrCreate();

spark.sparkContext.setLogLevel("WARN");

const staticDF = spark.read.csv("testdir/players.csv", { header: true, inferSchema: true });

const stream = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const streamDF = stream.selectExpr("value as player");

const joinedDF = streamDF.join(staticDF, expr("player = name"));

const query = joinedDF
  .writeStream
  .outputMode("append")
  .format("console")
  .start();

await query.awaitTermination();
