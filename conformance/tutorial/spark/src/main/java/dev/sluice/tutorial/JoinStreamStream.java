package dev.sluice.tutorial;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/** Segment 5, join_stream_stream.py: an inner join of two socket streams. */
public final class JoinStreamStream {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession
      .builder()
      .appName("StructuredSocketRead")
      .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    Dataset<Row> stream1 = spark
      .readStream()
      .format("socket")
      .option("host", "localhost")
      .option("port", Ports.port(args, 0, 12345))
      .load();

    Dataset<Row> streamDF1 = stream1.selectExpr("value as player");

    Dataset<Row> stream2 = spark
      .readStream()
      .format("socket")
      .option("host", "localhost")
      .option("port", Ports.port(args, 1, 12346))
      .load();

    Dataset<Row> streamDF2 = stream2.selectExpr("value as person");

    // Inner Join Example
    Dataset<Row> joinedDF = streamDF1.join(streamDF2, expr("player = person"));

    StreamingQuery query = joinedDF
      .writeStream()
      .outputMode("append")
      .format("console")
      .start();

    query.awaitTermination();
  }
}
