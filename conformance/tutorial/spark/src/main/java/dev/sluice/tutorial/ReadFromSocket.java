package dev.sluice.tutorial;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/** Segment 1, read_from_socket.py: socket lines to the console, append mode. */
public final class ReadFromSocket {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession
      .builder()
      .appName("StructuredSocketRead")
      .getOrCreate();

    Dataset<Row> lines = spark
      .readStream()
      .format("socket")
      .option("host", "localhost")
      .option("port", Ports.port(args, 0, 12345))
      .load();

    StreamingQuery query = lines
      .writeStream()
      .outputMode("append")
      .format("console")
      .start();

    query.awaitTermination();
  }
}
