package dev.sluice.tutorial;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;

/** Segment 6, window_functions.py: 1-day windows sliding by 1 hour over JSON files in data/. */
public final class WindowFunctions {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession
      .builder()
      .appName("StructuredSocketRead")
      .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    StructType mySchema = new StructType().add("activity_type", "string").add("activity_time", "timestamp").add("activity_count", "integer");

    Dataset<Row> lines = spark
      .readStream()
      .schema(mySchema)
      .json("data/");

    Dataset<Row> windowDF = lines.groupBy(window(col("activity_time"), "1 day", "1 hour")).sum("activity_count").alias("Events_Sum").orderBy(asc("window"));

    StreamingQuery query = windowDF
      .writeStream()
      .outputMode("complete")
      .format("console")
      .option("truncate", "False")
      .option("numRows", 200)
      .start();

    query.awaitTermination();
  }
}
