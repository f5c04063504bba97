package dev.sluice.goldens;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * JSON values of a case → the external Java types a Row of the schema needs (the types
 * Encoders.row and createDataFrame take with spark.sql.datetime.java8API.enabled off).
 */
final class Values {
  private Values() {}

  /** {@code yyyy-MM-dd HH:mm:ss[.f…]}, up to 6 fraction digits. */
  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder()
          .appendPattern("uuuu-MM-dd HH:mm:ss")
          .optionalStart()
          .appendFraction(ChronoField.NANO_OF_SECOND, 1, 6, true)
          .optionalEnd()
          .toFormatter()
          .withResolverStyle(ResolverStyle.STRICT);

  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);

  static List<Row> rows(JsonNode rows, StructType schema, String where) {
    if (rows == null || !rows.isArray()) throw new CaseError(where + ": rows must be an array");
    List<Row> out = new ArrayList<>();
    int i = 0;
    for (JsonNode row : rows) out.add(row(row, schema, where + "[" + i++ + "]"));
    return out;
  }

  static Row row(JsonNode row, StructType schema, String where) {
    StructField[] fields = schema.fields();
    Object[] values = new Object[fields.length];
    if (!row.isArray()) throw new CaseError(where + ": a row is a JSON array of values");
    if (row.size() != fields.length) {
      throw new CaseError(
          where + ": " + row.size() + " values for " + fields.length + " columns " + schema.toDDL());
    }
    for (int i = 0; i < fields.length; i++) {
      values[i] = value(row.get(i), fields[i].dataType(), where + "." + fields[i].name());
    }
    return RowFactory.create(values);
  }

  static Object value(JsonNode v, DataType type, String where) {
    if (v == null || v.isNull()) return null;
    try {
      if (type instanceof StringType) return text(v, where);
      if (type instanceof IntegerType) return integral(v, where).intValueExact();
      if (type instanceof LongType) return integral(v, where).longValueExact();
      if (type instanceof ShortType) return integral(v, where).shortValueExact();
      if (type instanceof ByteType) return integral(v, where).byteValueExact();
      if (type instanceof DoubleType) return floating(v, where);
      if (type instanceof FloatType) return (float) floating(v, where);
      if (type instanceof DecimalType) return new BigDecimal(v.isTextual() ? v.asText() : v.decimalValue().toString());
      if (type instanceof BooleanType) {
        if (!v.isBoolean()) throw new CaseError(where + ": expected a boolean, got " + v);
        return v.booleanValue();
      }
      if (type instanceof TimestampType) {
        LocalDateTime t = LocalDateTime.parse(text(v, where), TIMESTAMP);
        return Timestamp.from(t.toInstant(ZoneOffset.UTC));
      }
      if (type instanceof TimestampNTZType) return LocalDateTime.parse(text(v, where), TIMESTAMP);
      if (type instanceof DateType) return Date.valueOf(LocalDate.parse(text(v, where), DATE));
      if (type instanceof BinaryType) return text(v, where).getBytes(StandardCharsets.UTF_8);
      if (type instanceof ArrayType) {
        if (!v.isArray()) throw new CaseError(where + ": expected an array, got " + v);
        DataType element = ((ArrayType) type).elementType();
        List<Object> items = new ArrayList<>();
        int i = 0;
        for (JsonNode item : v) items.add(value(item, element, where + "[" + i++ + "]"));
        return CollectionConverters.asScala(items).toList();
      }
      if (type instanceof MapType) {
        if (!v.isObject()) throw new CaseError(where + ": expected an object, got " + v);
        MapType mt = (MapType) type;
        Map<Object, Object> map = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          Object key = value(new com.fasterxml.jackson.databind.node.TextNode(e.getKey()), mt.keyType(), where);
          map.put(key, value(e.getValue(), mt.valueType(), where + "." + e.getKey()));
        }
        return scala.collection.immutable.Map.from(CollectionConverters.asScala(map));
      }
      if (type instanceof StructType) return row(v, (StructType) type, where);
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new CaseError(where + ": " + v + " is not a " + type.sql() + " (" + e.getMessage() + ")", e);
    }
    throw new CaseError(where + ": type " + type.sql() + " is not supported by the runner");
  }

  private static String text(JsonNode v, String where) {
    if (!v.isTextual()) throw new CaseError(where + ": expected a string, got " + v);
    return v.textValue();
  }

  /** A JSON number, or one of the strings "NaN", "Infinity", "-Infinity" (JSON has no literal). */
  private static double floating(JsonNode v, String where) {
    if (v.isNumber()) return v.doubleValue();
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "NaN": return Double.NaN;
        case "Infinity": return Double.POSITIVE_INFINITY;
        case "-Infinity": return Double.NEGATIVE_INFINITY;
        default: break;
      }
    }
    throw new CaseError(where + ": expected a number, got " + v);
  }

  private static BigDecimal integral(JsonNode v, String where) {
    if (!v.isIntegralNumber()) throw new CaseError(where + ": expected an integer, got " + v);
    return v.decimalValue();
  }
}
