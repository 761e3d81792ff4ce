package org.dnnlessons.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Copies a stream (a child JVM's standard error) to another, leaving out TensorFlow's log lines
 * from its CUDA support: the lines that TensorFlow's GPU build writes on a machine where it cannot
 * use a GPU ({@code Could not find cuda drivers on your machine}, {@code Unable to register cuDNN
 * factory}, {@code failed call to cuInit}, ...). A line is left out only when it is a TensorFlow
 * log line (TensorFlow's own header, {@code 2026-12-07 07:29:36.524392: E
 * external/.../cuda_fft.cc:477] }, or Abseil's, {@code E0000 00:00:1796628576.771184 15557
 * cuda_dnn.cc:8310] }) written from one of {@link #CUDA_SOURCES}; Abseil's {@code WARNING: All log
 * messages before absl::InitializeLog() ...} is written once, before the first Abseil line kept (as
 * the CPU build writes it), or not at all. Everything else passes unchanged, byte for byte, and a
 * partial line (a progress bar's {@code \r} update) passes as soon as it cannot be the start of a
 * log line.
 */
final class CudaLogFilter extends OutputStream {

  /** TensorFlow's source files of its CUDA support, whose log lines are left out. */
  static final Set<String> CUDA_SOURCES =
      Set.of(
          "cudart_stub.cc",
          "cuda_fft.cc",
          "cuda_dnn.cc",
          "cuda_blas.cc",
          "cuda_driver.cc",
          "cuda_diagnostics.cc",
          "cuda_executor.cc",
          "cuda_platform.cc");

  /** Abseil's line before its first log line, when nothing called {@code absl::InitializeLog}. */
  static final String ABSL_PREAMBLE =
      "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR";

  /** The head of a log line, up to its source file's name, line and {@code ] }; or the preamble. */
  private static final Pattern HEAD =
      Pattern.compile(
          "(?:\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+: [IWEF] "
              + "|(?<absl>[IWEF]\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ ))"
              + "(?:[^\\s/\\]]+/)*(?<file>[^\\s/\\]]+):\\d+\\] "
              + "|(?<preamble>"
              + Pattern.quote(ABSL_PREAMBLE)
              + ")");

  /** The longest line held to be decided; a longer one passes. */
  static final int MAX_LOG_LINE = 64 * 1024;

  private final OutputStream out;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();

  /** The current line is not a log line: its bytes pass until its end. */
  private boolean passing;

  /** The current line's head was matched: it is kept until its end, then decided. */
  private boolean logLine;

  /** Abseil's preamble, held until an Abseil line is kept. */
  private byte[] preamble;

  /** Whether the preamble was written. */
  private boolean preambleWritten;

  /**
   * @param out where the kept bytes go; flushed with this stream, not closed by it
   */
  CudaLogFilter(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    int passFrom = -1;
    for (int i = off; i < off + len; i++) {
      byte c = b[i];
      if (passing) {
        if (passFrom < 0) {
          passFrom = i;
        }
        if (c == '\n') {
          passing = false;
          out.write(b, passFrom, i + 1 - passFrom);
          passFrom = -1;
        }
        continue;
      }
      line.write(c);
      if (c == '\n') {
        endOfLogLine();
      } else if (logLine && line.size() > MAX_LOG_LINE) {
        // longer than any log line of TensorFlow's: kept, with the rest of it
        line.writeTo(out);
        line.reset();
        logLine = false;
        passing = true;
      } else if (!logLine) {
        Matcher m = HEAD.matcher(line.toString(StandardCharsets.ISO_8859_1));
        if (m.lookingAt()) {
          logLine = true;
        } else if (!m.hitEnd()) {
          // cannot become a log line: pass what it has and the rest of it
          line.writeTo(out);
          line.reset();
          passing = true;
        }
      }
    }
    if (passFrom >= 0) {
      out.write(b, passFrom, off + len - passFrom);
    }
  }

  private void endOfLogLine() throws IOException {
    Matcher m = HEAD.matcher(line.toString(StandardCharsets.ISO_8859_1));
    boolean isLog = m.lookingAt();
    if (isLog && m.group("preamble") != null) {
      // Abseil's preamble (one per copy of Abseil in TensorFlow's libraries): written once,
      // before the first Abseil line that is kept, as the CPU build writes it
      if (!preambleWritten && preamble == null) {
        preamble = line.toByteArray();
      }
    } else if (isLog && CUDA_SOURCES.contains(m.group("file"))) {
      // left out
    } else {
      if (isLog && m.group("absl") != null) {
        releasePreamble();
      }
      line.writeTo(out);
    }
    line.reset();
    logLine = false;
  }

  private void releasePreamble() throws IOException {
    if (preamble != null) {
      out.write(preamble);
      preamble = null;
      preambleWritten = true;
    }
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  /**
   * Writes a last line without its end, and flushes; {@code out} stays open. A preamble that no
   * kept Abseil line followed is left out.
   */
  @Override
  public void close() throws IOException {
    line.writeTo(out);
    line.reset();
    out.flush();
  }
}
