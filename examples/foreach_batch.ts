// foreachBatch: the program's own function gets each batch as a DataFrame and its batch id.
// Start a line server first:  nc -lk 12345
// Then run:                   npx sluice run examples/foreach_batch.ts
import { SparkSession, col, upper } from "sluice";

const spark = SparkSession
  .builder
  .appName("ForeachBatch")
  .getOrCreate();

const lines = spark
  .readStream
  .format("socket")
  .option("host", "localhost")
  .option("port", 12345)
  .load();

const query = lines
  .select(upper(col("value")).alias("shout"))
  .writeStream
  .foreachBatch((batchDF, batchId) => {
    console.log(`batch ${batchId}: ${batchDF.count()} rows`);
    batchDF.show();
  })
  .start();

await query.awaitTermination();
