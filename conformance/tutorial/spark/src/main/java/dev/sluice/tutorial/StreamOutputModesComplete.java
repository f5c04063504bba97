package dev.sluice.tutorial;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/** Segment 2, stream_output_modes.py edited to complete mode: start() fails (no aggregation). */
public final class StreamOutputModesComplete {
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
      .outputMode("complete")
      .format("console")
      .start();

    query.awaitTermination();
  }
}
