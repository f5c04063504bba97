// Kafka in, Kafka out, exactly once: upper-cases the values of one topic into another. Kill the
// program at any moment and start it again: the output topic (read_committed) holds each
// result once.
// Run:   KAFKA_BROKERS=127.0.0.1:9092 npx sluice run examples/kafka_to_kafka.ts
import { SparkSession } from "sluice";

const brokers = process.env.KAFKA_BROKERS ?? "localhost:9092";

const spark = SparkSession
  .builder
  .appName("KafkaToKafka")
  .getOrCreate();

const input = spark
  .readStream
  .format("kafka")
  .option("kafka.bootstrap.servers", brokers)
  .option("subscribe", "words-in")
  .option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", 50)
  .load();

const upper = input.selectExpr("CAST(key AS STRING) AS key", "upper(CAST(value AS STRING)) AS value");

const query = upper
  .writeStream
  .format("kafka")
  .option("kafka.bootstrap.servers", brokers)
  .option("topic", "words-out")
  .option("checkpointLocation", "checkpoints/kafka-to-kafka")
  .start();

await query.awaitTermination();
