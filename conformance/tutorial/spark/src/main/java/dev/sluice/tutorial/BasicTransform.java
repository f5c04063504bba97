package dev.sluice.tutorial;

import static org.apache.spark.sql.functions.*;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/** Segment 4, basic_transform.py: keep the lines longer than 4 characters. */
public final class BasicTransform {
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

    Dataset<Row> transformedDF = lines.filter(length(col("value")).gt(4));

    StreamingQuery query = transformedDF
      .writeStream()
      .outputMode("append")
      .format("console")
      .start();

    query.awaitTermination();
  }
}
