package org.dnnlessons.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the command line, with what it printed.
 *
 * @param status the exit status
 * @param out standard output
 * @param err standard error
 */
public record CliRun(int status, String out, String err) {

  /**
   * Runs {@code dnn-lessons args...} in this JVM.
   *
   * @param args the command line after {@code dnn-lessons}
   * @return its status and what it printed
   */
  public static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            args);
    return new CliRun(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
