// Segment 6 of the tutorial: sliding event-time windows (1 day, sliding every hour) over JSON
// files dropped into a directory, summed in complete mode.
// Run:   npx sluice run examples/window_functions.ts
// Then drop files into data/ (write elsewhere, then move them in), e.g.
//        mkdir -p data && cp examples/data/input1.csv data/
import { SparkSession, StructType, asc, window } from "sluice";

const spark = SparkSession
  .builder
  .appName("StructuredSocketRead")
  .getOrCreate();

spark.sparkContext.setLogLevel("WARN");

const mySchema = new StructType().add("activity_type", "string").add("activity_time", "timestamp").add("activity_count", "integer");

const lines = spark
  .readStream
  .schema(mySchema)
  .json("data/");

const windowDF = lines.groupBy(window("activity_time", "1 day", "1 hour")).sum("activity_count").alias("Events_Sum").orderBy(asc("window"));

const query = windowDF
  .writeStream
  .outputMode("complete")
  .format("console")
  .option("truncate", "False")
  .option("numRows", 200)
  .start();

await query.awaitTermination();
