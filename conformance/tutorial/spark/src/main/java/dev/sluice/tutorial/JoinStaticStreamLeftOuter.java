package dev.sluice.tutorial;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/** Segment 5, join_static_stream.py edited to the left outer join. */
public final class JoinStaticStreamLeftOuter {
  public static void main(String[] args) throws Exception {
    SparkSession spark = SparkSession
      .builder()
      .appName("StructuredSocketRead")
      .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");

    // PySpark: spark.read.csv("testdir/players.csv", header=True, inferSchema=True)
    Dataset<Row> staticDF = spark.read().option("header", true).option("inferSchema", true).csv("testdir/players.csv");

    Dataset<Row> stream = spark
      .readStream()
      .format("socket")
      .option("host", "localhost")
      .option("port", Ports.port(args, 0, 12345))
      .load();

    Dataset<Row> streamDF = stream.selectExpr("value as player");

    Dataset<Row> joinedDF = streamDF.join(staticDF, expr("player = name"), "left_outer");

    StreamingQuery query = joinedDF
      .writeStream()
      .outputMode("append")
      .format("console")
      .start();

    query.awaitTermination();
  }
}
