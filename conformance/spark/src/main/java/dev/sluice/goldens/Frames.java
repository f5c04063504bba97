package dev.sluice.goldens;

import static org.apache.spark.sql.functions.expr;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Builds a case's frame (`from` + `ops`) with the Spark calls conformance/README.md maps. */
final class Frames {
  private final Map<String, Dataset<Row>> sources;

  /** @param sources the streaming inputs and static tables, by name */
  Frames(Map<String, Dataset<Row>> sources) {
    this.sources = sources;
  }

  Dataset<Row> build(JsonNode frame, String where) {
    if (frame == null) throw new CaseError(where + ": missing frame");
    if (!frame.isObject()) throw new CaseError(where + ": a frame is {\"from\", \"ops\"}");
    Dataset<Row> df = source(str(frame.get("from"), where + ".from"), where);
    JsonNode ops = frame.get("ops");
    if (ops == null) return df;
    if (!ops.isArray()) throw new CaseError(where + ".ops: must be an array");
    int i = 0;
    for (JsonNode op : ops) df = apply(df, op, where + ".ops[" + i++ + "]");
    return df;
  }

  private Dataset<Row> source(String name, String where) {
    Dataset<Row> df = sources.get(name);
    if (df == null) throw new CaseError(where + ": no input or static table named '" + name + "'");
    return df;
  }

  private Dataset<Row> apply(Dataset<Row> df, JsonNode op, String where) {
    if (!op.isArray() || op.size() == 0 || !op.get(0).isTextual()) {
      throw new CaseError(where + ": an op is [\"name\", args…]");
    }
    String name = op.get(0).textValue();
    switch (name) {
      case "select":
        return df.selectExpr(strings(op, 1, where));
      case "where":
        arity(op, 2, where);
        return df.where(expr(str(op.get(1), where)));
      case "withColumn":
        arity(op, 3, where);
        return df.withColumn(str(op.get(1), where), expr(str(op.get(2), where)));
      case "withColumnRenamed":
        arity(op, 3, where);
        return df.withColumnRenamed(str(op.get(1), where), str(op.get(2), where));
      case "drop":
        return df.drop(strings(op, 1, where));
      case "withWatermark":
        arity(op, 3, where);
        return df.withWatermark(str(op.get(1), where), str(op.get(2), where));
      case "groupBy": {
        arity(op, 3, where);
        Column[] keys = exprs(list(op.get(1), where + "[1]"));
        Column[] aggs = exprs(list(op.get(2), where + "[2]"));
        if (aggs.length == 0) throw new CaseError(where + ": groupBy needs at least one aggregate");
        Column[] rest = new Column[aggs.length - 1];
        System.arraycopy(aggs, 1, rest, 0, rest.length);
        return df.groupBy(keys).agg(aggs[0], rest);
      }
      case "dropDuplicates": {
        arity(op, 2, where);
        String[] cols = list(op.get(1), where + "[1]");
        return cols.length == 0 ? df.dropDuplicates() : df.dropDuplicates(cols);
      }
      case "dropDuplicatesWithinWatermark": {
        arity(op, 2, where);
        String[] cols = list(op.get(1), where + "[1]");
        return cols.length == 0 ? df.dropDuplicatesWithinWatermark() : df.dropDuplicatesWithinWatermark(cols);
      }
      case "join": {
        if (op.size() < 3 || op.size() > 4) throw new CaseError(where + ": [\"join\", frame, cond or [cols], how?]");
        Dataset<Row> right = build(op.get(1), where + "[1]");
        String how = op.size() == 4 ? str(op.get(3), where + "[3]") : "inner";
        JsonNode on = op.get(2);
        if (on.isArray()) return df.join(right, list(on, where + "[2]"), how);
        return df.join(right, expr(str(on, where + "[2]")), how);
      }
      case "union":
        arity(op, 2, where);
        return df.union(build(op.get(1), where + "[1]"));
      case "unionByName":
        arity(op, 2, where);
        return df.unionByName(build(op.get(1), where + "[1]"));
      case "orderBy": {
        String[] keys = strings(op, 1, where);
        Column[] cols = new Column[keys.length];
        for (int i = 0; i < keys.length; i++) cols[i] = sortKey(keys[i]);
        return df.orderBy(cols);
      }
      case "limit":
        arity(op, 2, where);
        if (!op.get(1).isIntegralNumber()) throw new CaseError(where + ": limit takes an integer");
        return df.limit(op.get(1).intValue());
      case "alias":
        arity(op, 2, where);
        return df.alias(str(op.get(1), where));
      case "toDF":
        return df.toDF(strings(op, 1, where));
      default:
        throw new CaseError(where + ": unknown op '" + name + "'");
    }
  }

  private static final Pattern SORT =
      Pattern.compile("(?is)^(.*?)\\s+(ASC|DESC)(?:\\s+NULLS\\s+(FIRST|LAST))?\\s*$");

  /** An orderBy key: an expression, optionally followed by ASC/DESC [NULLS FIRST/LAST]. */
  static Column sortKey(String key) {
    Matcher m = SORT.matcher(key);
    if (!m.matches()) return expr(key);
    Column c = expr(m.group(1));
    boolean desc = m.group(2).toUpperCase(Locale.ROOT).equals("DESC");
    String nulls = m.group(3) == null ? null : m.group(3).toUpperCase(Locale.ROOT);
    if (nulls == null) return desc ? c.desc() : c.asc();
    if (desc) return nulls.equals("FIRST") ? c.desc_nulls_first() : c.desc_nulls_last();
    return nulls.equals("FIRST") ? c.asc_nulls_first() : c.asc_nulls_last();
  }

  private static Column[] exprs(String[] strings) {
    Column[] cols = new Column[strings.length];
    for (int i = 0; i < strings.length; i++) cols[i] = expr(strings[i]);
    return cols;
  }

  private static void arity(JsonNode op, int n, String where) {
    if (op.size() != n) throw new CaseError(where + ": '" + op.get(0).textValue() + "' takes " + (n - 1) + " argument(s)");
  }

  private static String str(JsonNode v, String where) {
    if (v == null || !v.isTextual()) throw new CaseError(where + ": expected a string, got " + v);
    return v.textValue();
  }

  /** The op's string arguments from index {@code from} on. */
  private static String[] strings(JsonNode op, int from, String where) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < op.size(); i++) out.add(str(op.get(i), where + "[" + i + "]"));
    return out.toArray(new String[0]);
  }

  private static String[] list(JsonNode v, String where) {
    if (v == null || !v.isArray()) throw new CaseError(where + ": expected an array of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) out.add(str(s, where));
    return out.toArray(new String[0]);
  }
}
