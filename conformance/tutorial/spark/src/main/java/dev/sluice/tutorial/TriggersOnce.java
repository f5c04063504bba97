package dev.sluice.tutorial;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/** Segment 3, triggers.py edited to the once trigger. */
public final class TriggersOnce {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession
      .builder()
      .appName("StructuredSocketRead")
      .getOrCreate();

    spark.sparkContext().setLogLevel("WARN");

    Dataset<Row> lines = spark
      .readStream()
      .format("socket")
      .option("host", "localhost")
      .option("port", Ports.port(args, 0, 12345))
      .load();

    StreamingQuery query = lines
      .writeStream()
      .outputMode("update")
      .format("console")
      .trigger(Trigger.Once())
      .start();

    query.awaitTermination();
  }
}
