package dev.sluice.goldens;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The process's stdout, switchable to a per-case buffer. Installed with System.setOut before
 * Spark (and so scala.Console, which captures System.out at its first use) is touched: the
 * console sink's println then lands in whatever buffer is current.
 */
final class StdoutSwitch extends OutputStream {
  private ByteArrayOutputStream target = new ByteArrayOutputStream();

  static StdoutSwitch install() {
    StdoutSwitch sw = new StdoutSwitch();
    System.setOut(new PrintStream(sw, true, StandardCharsets.UTF_8));
    return sw;
  }

  /** Starts a new buffer; bytes written from now on go to it. */
  synchronized void begin() {
    target = new ByteArrayOutputStream();
  }

  /** Ends the current buffer and returns its bytes; later writes go to a discarded buffer. */
  byte[] end() {
    System.out.flush();
    synchronized (this) {
      byte[] bytes = target.toByteArray();
      target = new ByteArrayOutputStream();
      return bytes;
    }
  }

  @Override
  public synchronized void write(int b) {
    target.write(b);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    target.write(b, off, len);
  }
}
