package dev.sluice.goldens;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * The one line a golden .err holds for a failed query (the rule is documented in
 * conformance/README.md, "What a golden file holds").
 */
final class ErrorText {
  private ErrorText() {}

  /** An error class at the start of a message: {@code [CLASS]} or {@code [CLASS.SUBCLASS]}. */
  private static final Pattern CLASS = Pattern.compile("^\\[[A-Z0-9_]+(\\.[A-Z0-9_]+)*\\] ");
  private static final Pattern SQLSTATE = Pattern.compile("SQLSTATE: [0-9A-Z]{5}");

  static String of(Throwable thrown) {
    Throwable root = root(thrown);
    String message = root.getMessage();
    if (message == null || message.isBlank()) return root.getClass().getName();
    Matcher state = SQLSTATE.matcher(message);
    String line;
    if (state.find()) {
      line = message.substring(0, state.end());
    } else {
      // A legacy error (_LEGACY_ERROR_TEMP_…) has neither [CLASS] nor SQLSTATE in its message.
      int plan = message.indexOf(";\n");
      line = plan >= 0 ? message.substring(0, plan) : message;
    }
    return line.replaceAll("\\s*\\R\\s*", " ").strip();
  }

  /**
   * The error the user is told about: a StreamingQueryException (`[STREAM_FAILED] Query … terminated
   * with exception: …`) stands for its cause; below that, the deepest error in the cause chain
   * whose message starts with an error class (a task failure's SparkException wraps the error the
   * expression raised).
   */
  static Throwable root(Throwable thrown) {
    Throwable t = thrown;
    if (t instanceof StreamingQueryException && t.getCause() != null) t = t.getCause();
    Throwable found = t;
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c.getMessage() != null && CLASS.matcher(c.getMessage()).find()) found = c;
    }
    return found;
  }
}
