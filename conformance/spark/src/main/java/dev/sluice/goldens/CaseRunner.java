package dev.sluice.goldens;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.execution.streaming.runtime.MicroBatchExecution;
import org.apache.spark.sql.execution.streaming.runtime.StreamExecution;
import org.apache.spark.sql.execution.streaming.runtime.StreamingQueryWrapper;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Runs one case in Spark as StreamTest does: the query is started first; each addData adds the
 * rows of all its inputs while the query's progress is locked (StreamTest's MultiAddData), then
 * waits with processAllAvailable; restart is stop + start from the same checkpoint with the same
 * MemoryStreams (StopStream/StartStream).
 */
final class CaseRunner {
  /** What a case did: the console bytes, and the .err line if the query failed. */
  record Outcome(byte[] out, String err) {}

  private final SparkSession base;
  private final StdoutSwitch stdout;
  private volatile SparkSession session;

  CaseRunner(SparkSession base, StdoutSwitch stdout) {
    this.base = base;
    this.stdout = stdout;
  }

  /** One addData action, its rows already converted: input → rows. */
  private record AddData(Map<MemoryStream<Row>, List<Row>> rows) {}

  Outcome run(JsonNode spec) throws Exception {
    SparkSession s = base.newSession();
    session = s;
    JsonNode conf = spec.get("conf");
    if (conf != null) {
      Iterator<Map.Entry<String, JsonNode>> it = conf.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        s.conf().set(e.getKey(), e.getValue().asText());
      }
    }

    if (Boolean.getBoolean("goldens.debug")) {
      System.err.println("goldens.debug: session conf " + CollectionConverters.asJava(s.conf().getAll()));
    }

    Map<String, MemoryStream<Row>> inputs = new LinkedHashMap<>();
    Map<String, Dataset<Row>> sources = new LinkedHashMap<>();
    Map<String, StructType> schemas = new LinkedHashMap<>();
    JsonNode inputsNode = spec.get("inputs");
    if (inputsNode == null || !inputsNode.isObject()) throw new CaseError("inputs: must be an object");
    Iterator<Map.Entry<String, JsonNode>> it = inputsNode.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      StructType schema = StructType.fromDDL(e.getValue().asText());
      MemoryStream<Row> stream = MemoryStream.apply(Encoders.row(schema), s);
      inputs.put(e.getKey(), stream);
      schemas.put(e.getKey(), schema);
      sources.put(e.getKey(), stream.toDF());
    }
    JsonNode statics = spec.get("static");
    if (statics != null) {
      it = statics.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String where = "static." + e.getKey();
        JsonNode schemaNode = e.getValue().get("schema");
        if (schemaNode == null) throw new CaseError(where + ": missing schema");
        StructType schema = StructType.fromDDL(schemaNode.asText());
        List<Row> rows = Values.rows(e.getValue().get("rows"), schema, where + ".rows");
        if (sources.containsKey(e.getKey())) throw new CaseError(where + ": name already used by an input");
        sources.put(e.getKey(), s.createDataFrame(rows, schema));
      }
    }

    // Convert every action's rows before anything runs: a bad value is the case's fault.
    List<Object> actions = new ArrayList<>();
    JsonNode actionsNode = spec.get("actions");
    if (actionsNode == null || !actionsNode.isArray()) throw new CaseError("actions: must be an array");
    int n = 0;
    for (JsonNode a : actionsNode) {
      String where = "actions[" + n++ + "]";
      if (a.has("addData")) {
        Map<MemoryStream<Row>, List<Row>> rows = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> ins = a.get("addData").fields();
        while (ins.hasNext()) {
          Map.Entry<String, JsonNode> e = ins.next();
          MemoryStream<Row> stream = inputs.get(e.getKey());
          if (stream == null) throw new CaseError(where + ": no input named '" + e.getKey() + "'");
          rows.put(stream, Values.rows(e.getValue(), schemas.get(e.getKey()), where + "." + e.getKey()));
        }
        actions.add(new AddData(rows));
      } else if (a.has("restart")) {
        actions.add("restart");
      } else {
        throw new CaseError(where + ": unknown action " + a);
      }
    }

    String mode = spec.has("outputMode") ? spec.get("outputMode").asText() : "append";
    JsonNode console = spec.get("console");
    int numRows = console != null && console.has("numRows") ? console.get("numRows").asInt() : 20;
    boolean truncate = console == null || !console.has("truncate") || console.get("truncate").asBoolean();

    Path checkpoint = Files.createTempDirectory("sluice-goldens-");
    stdout.begin();
    String err = null;
    byte[] out;
    try {
      // Dataset ops analyse eagerly: an analysis error while building is the query's failure too.
      Dataset<Row> df = new Frames(sources).build(spec.get("query"), "query");
      DataStreamWriter<Row> writer =
          df.writeStream()
              .format("console")
              .option("numRows", numRows)
              .option("truncate", truncate)
              .outputMode(mode)
              .option("checkpointLocation", checkpoint.toString());
      StreamingQuery query = writer.start();
      for (Object action : actions) {
        if (action instanceof AddData add) {
          withProgressLocked(query, () -> {
            for (Map.Entry<MemoryStream<Row>, List<Row>> e : add.rows().entrySet()) {
              e.getKey().addData(CollectionConverters.asScala(e.getValue()).toSeq());
            }
          });
          query.processAllAvailable();
        } else {
          query.stop();
          query = writer.start();
          query.processAllAvailable();
        }
      }
      query.stop();
    } catch (CaseError e) {
      throw e;
    } catch (Exception e) {
      // Interrupted: the run gave up on this case (timeout); what Spark said then is no golden.
      if (e instanceof InterruptedException || Thread.currentThread().isInterrupted()) throw e;
      err = ErrorText.of(e);
      if (Boolean.getBoolean("goldens.debug")) printChain(e);
    } finally {
      stopAll();
      out = stdout.end();
      deleteTree(checkpoint);
    }
    return new Outcome(out, err);
  }

  /** Stops every query still active in the case's session (after a failure or a timeout). */
  void stopAll() {
    SparkSession s = session;
    if (s == null) return;
    for (StreamingQuery q : s.streams().active()) {
      try {
        q.stop();
      } catch (Exception ignored) {
        // stopping a failed query: nothing more to do
      }
    }
  }

  /** -Dgoldens.debug=true: each error of the cause chain, its condition and its raw message. */
  private static void printChain(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String condition =
          c instanceof SparkThrowable st
              ? " condition=" + st.getCondition() + " sqlstate=" + st.getSqlState()
              : "";
      System.err.println("goldens.debug: " + c.getClass().getName() + condition + ": <<" + c.getMessage() + ">>");
    }
  }

  /** StreamTest's StreamProgressLockedActions: run {@code body} while no batch can be planned. */
  private static void withProgressLocked(StreamingQuery query, Runnable body) {
    StreamExecution execution = ((StreamingQueryWrapper) query).streamingQuery();
    if (!(execution instanceof MicroBatchExecution micro)) {
      throw new IllegalStateException("not a micro-batch query: " + execution.getClass().getName());
    }
    micro.withProgressLocked(
        () -> {
          body.run();
          return null;
        });
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory left behind is harmless
    }
  }
}
