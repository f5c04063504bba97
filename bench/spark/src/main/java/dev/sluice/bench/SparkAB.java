package dev.sluice.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Workload A or B of bench/spark-ab.bench.ts in real Spark, local[2], Kafka to Kafka.
 *
 *   SparkAB --brokers HOST:PORT --workload A|B|Y|J [--campaigns CSV] --run INPUT:OUTPUT [--run INPUT:OUTPUT …]
 *   SparkAB --workload C --socket HOST:PORT
 *
 * Each run is its own query (own checkpoint) that reads its input topic from the earliest offset
 * to the end (Trigger.AvailableNow) and writes its output topic, one after another in this JVM:
 * the first run pays for the JVM and the session, the later ones run warm. After each run one
 * JSON line goes to stdout: {"run":i,"startEpochMs":…,"endEpochMs":…,"inputRows":…}.
 * The end is when the query has terminated, so its Kafka writer has flushed every row.
 *
 * Workload C is bench/latency.bench.ts's: lines from a socket to the console, default trigger,
 * append, until the process is stopped (the bench times each line from sent to printed).
 */
public final class SparkAB {
  private SparkAB() {}

  public static void main(String[] args) throws Exception {
    String brokers = null;
    String workload = null;
    String socket = null;
    String campaigns = null;
    List<String[]> runs = new ArrayList<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--brokers" -> brokers = args[i + 1];
        case "--workload" -> workload = args[i + 1];
        case "--run" -> runs.add(args[i + 1].split(":", 2));
        case "--socket" -> socket = args[i + 1];
        case "--campaigns" -> campaigns = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if ("C".equals(workload) && socket != null) {
      socketToConsole(socket);
      return;
    }
    if (brokers == null || workload == null || runs.isEmpty()) {
      throw new IllegalArgumentException("usage: --brokers B --workload A|B|Y|J [--campaigns CSV] --run IN:OUT [--run IN:OUT …]");
    }
    SparkSession spark = SparkSession.builder()
        .appName("sluice-bench-" + workload)
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        // One shuffle partition per core, as one would set for local[2] (Spark's default is 200).
        .config("spark.sql.shuffle.partitions", System.getProperty("bench.shufflePartitions", "2"))
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Path checkpoints = Files.createTempDirectory("spark-bench-");
    for (int r = 0; r < runs.size(); r++) {
      String input = runs.get(r)[0];
      String output = runs.get(r)[1];
      long start = System.currentTimeMillis();
      Dataset<Row> in = spark.readStream().format("kafka")
          .option("kafka.bootstrap.servers", brokers)
          .option("subscribe", input)
          .option("startingOffsets", "earliest")
          .load();
      Dataset<Row> out = switch (workload) {
        case "A" -> workloadA(in);
        case "B" -> workloadB(in);
        case "Y" -> workloadY(in, spark.read().option("header", "true").csv(campaigns));
        case "J" -> workloadJ(in, spark.readStream().format("kafka")
            .option("kafka.bootstrap.servers", brokers)
            .option("subscribe", input)
            .option("startingOffsets", "earliest")
            .load());
        default -> throw new IllegalArgumentException("unknown workload " + workload);
      };
      StreamingQuery query = out.writeStream().format("kafka")
          .outputMode(workload.equals("A") || workload.equals("J") ? "append" : "update")
          .option("kafka.bootstrap.servers", brokers)
          .option("topic", output)
          .option("checkpointLocation", checkpoints.resolve("run-" + r).toString())
          .trigger(Trigger.AvailableNow())
          .start();
      query.awaitTermination();
      long end = System.currentTimeMillis();
      long rows = 0;
      for (var p : query.recentProgress()) rows += p.numInputRows();
      System.out.println("{\"run\":" + r + ",\"startEpochMs\":" + start + ",\"endEpochMs\":" + end
          + ",\"inputRows\":" + rows + "}");
      System.out.flush();
    }
    spark.stop();
  }

  /** Workload C: socket → console, append, the default trigger, until the JVM is stopped. */
  static void socketToConsole(String socket) throws Exception {
    String[] hostPort = socket.split(":", 2);
    SparkSession spark = SparkSession.builder()
        .appName("sluice-bench-C")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    Dataset<Row> lines = spark.readStream().format("socket")
        .option("host", hostPort[0])
        .option("port", hostPort[1])
        .load();
    // Every row printed (the console shows 20 a batch by default).
    lines.writeStream().format("console").outputMode("append").option("numRows", 1_000_000).option("truncate", false)
        .start().awaitTermination();
  }

  /**
   * The Yahoo Streaming Benchmark's shape: views of ads joined to their campaigns (a static CSV),
   * counted per campaign and 10-second window.
   */
  static Dataset<Row> workloadY(Dataset<Row> in, Dataset<Row> campaigns) {
    return in.selectExpr("timestamp AS ts", "from_json(CAST(value AS STRING), 'ad_id STRING, event_type STRING') AS e")
        .select("ts", "e.*")
        .where("event_type = 'view'")
        .join(campaigns, "ad_id")
        .withWatermark("ts", "10 seconds")
        .groupBy(window(col("ts"), "10 seconds"), col("campaign_id"))
        .count()
        .selectExpr("CONCAT(campaign_id, ':', CAST(CAST(window.start AS BIGINT) AS STRING)) AS key", "CAST(count AS STRING) AS value");
  }

  /** Views and clicks of one ad, the click at most 2 s after the view (a stream-stream join). */
  static Dataset<Row> workloadJ(Dataset<Row> views, Dataset<Row> clicks) {
    String schema = "'ad_id STRING, event_type STRING'";
    Dataset<Row> v = views.selectExpr("timestamp AS viewTime", "from_json(CAST(value AS STRING), " + schema + ") AS e")
        .where("e.event_type = 'view'").selectExpr("e.ad_id AS viewAd", "viewTime").withWatermark("viewTime", "10 seconds");
    Dataset<Row> c = clicks.selectExpr("timestamp AS clickTime", "from_json(CAST(value AS STRING), " + schema + ") AS e")
        .where("e.event_type = 'click'").selectExpr("e.ad_id AS clickAd", "clickTime").withWatermark("clickTime", "20 seconds");
    return v.join(c, expr("clickAd = viewAd AND clickTime >= viewTime AND clickTime <= viewTime + interval 2 seconds"))
        .selectExpr("viewAd AS key", "CONCAT(CAST(unix_millis(viewTime) AS STRING), ':', CAST(unix_millis(clickTime) AS STRING)) AS value");
  }

  /** from_json(value, schema) → where length(value) > 4 → upper. */
  static Dataset<Row> workloadA(Dataset<Row> in) {
    return in.selectExpr("from_json(CAST(value AS STRING), 'value STRING') AS data")
        .select("data.*")
        .where("length(value) > 4")
        .selectExpr("upper(value) AS value");
  }

  /** A 1 day / 1 hour sliding-window sum of v over the record timestamp, 1 hour watermark. */
  static Dataset<Row> workloadB(Dataset<Row> in) {
    return in.selectExpr("timestamp AS ts", "from_json(CAST(value AS STRING), 'v BIGINT').v AS v")
        .withWatermark("ts", "1 hour")
        .groupBy(window(col("ts"), "1 day", "1 hour"))
        .agg(sum("v").alias("total"))
        .selectExpr("CAST(CAST(window.start AS BIGINT) AS STRING) AS key", "CAST(total AS STRING) AS value");
  }
}
