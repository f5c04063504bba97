package dev.sluice.goldens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the conformance cases (conformance/cases/<group>/<name>.json) in real Apache Spark and
 * writes what Spark printed to conformance/goldens/<group>/<name>.out (and .err if the query
 * failed). One JVM, one SparkContext, one new SparkSession per case.
 *
 * <pre>SparkGoldens [--cases DIR] [--goldens DIR] [--timeout SECONDS] [filter…]</pre>
 *
 * A filter keeps the cases whose "group/name" contains it. --timeout (default 300 s) bounds
 * one case: a stateful case can take a minute or two on a loaded 2-core machine. stdout carries nothing but the
 * captured console output (which goes to the golden files); progress lines go to stderr.
 */
public final class SparkGoldens {
  private SparkGoldens() {}

  public static void main(String[] args) throws Exception {
    // Before Spark (and scala.Console, which captures System.out once) is touched.
    PrintStream err = System.err;
    StdoutSwitch stdout = StdoutSwitch.install();

    Path cases = Paths.get("conformance/cases");
    Path goldens = Paths.get("conformance/goldens");
    long timeoutSeconds = 300;
    List<String> filters = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--cases" -> cases = Paths.get(args[++i]);
        case "--goldens" -> goldens = Paths.get(args[++i]);
        case "--timeout" -> timeoutSeconds = Long.parseLong(args[++i]);
        default -> filters.add(args[i]);
      }
    }

    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(cases)) {
      walk.filter(p -> p.toString().endsWith(".json")).sorted().forEach(files::add);
    }
    List<Path> selected = new ArrayList<>();
    for (Path f : files) {
      String name = caseName(cases, f);
      if (filters.isEmpty() || filters.stream().anyMatch(name::contains)) selected.add(f);
    }
    if (selected.isEmpty()) {
      err.println("no case matches " + filters + " under " + cases);
      System.exit(2);
    }

    long t0 = System.nanoTime();
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("sluice-goldens")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            // Spark's default (200) makes each stateful batch take tens of seconds on 2 cores;
            // a case's "conf" may set it. See conformance/README.md.
            .config("spark.sql.shuffle.partitions", "2")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    err.printf("spark %s started in %d ms%n", spark.version(), ms(t0));

    ObjectMapper json = new ObjectMapper();
    CaseRunner runner = new CaseRunner(spark, stdout);
    int ok = 0, failedQueries = 0, broken = 0;
    for (Path f : selected) {
      String name = caseName(cases, f);
      long start = System.nanoTime();
      String status;
      try {
        JsonNode spec = json.readTree(f.toFile());
        FutureTask<CaseRunner.Outcome> task = new FutureTask<>(() -> runner.run(spec));
        Thread worker = new Thread(task, "case " + name);
        worker.setDaemon(true);
        worker.start();
        CaseRunner.Outcome outcome;
        try {
          outcome = task.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          task.cancel(true);
          runner.stopAll();
          worker.join(30_000);
          throw new TimeoutException("timed out after " + timeoutSeconds + " s");
        }
        write(goldens, name, outcome);
        if (outcome.err() == null) {
          ok++;
          status = "ok";
        } else {
          failedQueries++;
          status = "error: " + outcome.err();
        }
      } catch (Exception e) {
        broken++;
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        status = "FAILED (goldens left as they were): " + cause;
        if (!(cause instanceof CaseError) && !(cause instanceof TimeoutException)) {
          cause.printStackTrace(err);
        }
      }
      err.printf("%-50s %6d ms  %s%n", name, ms(start), status);
    }
    err.printf(
        "%d case(s) in %d ms: %d ok, %d with a query error (.err), %d failed to run%n",
        selected.size(), ms(t0), ok, failedQueries, broken);
    spark.stop();
    System.exit(broken == 0 ? 0 : 1);
  }

  private static void write(Path goldens, String name, CaseRunner.Outcome outcome) throws Exception {
    Path out = goldens.resolve(name + ".out");
    Path errFile = goldens.resolve(name + ".err");
    Files.createDirectories(out.getParent());
    Files.write(out, outcome.out());
    if (outcome.err() != null) {
      Files.write(errFile, (outcome.err() + "\n").getBytes(StandardCharsets.UTF_8));
    } else {
      Files.deleteIfExists(errFile);
    }
  }

  /** "group/name" of a case file, with '/' whatever the platform. */
  private static String caseName(Path cases, Path file) {
    String rel = cases.relativize(file).toString().replace('\\', '/');
    return rel.substring(0, rel.length() - ".json".length());
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }
}
