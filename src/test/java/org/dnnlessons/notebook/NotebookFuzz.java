package org.dnnlessons.notebook;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Feeds {@link Notebook#read} crafted {@code .ipynb} files and uses what it accepts as the runner
 * does (cells, types, sources, stored outputs): every round reads the notebook or refuses it with
 * one {@link NotebookException} line naming the file; never another exception, never more than a
 * bounded allocation.
 *
 * <p>Mutations of a small valid notebook: bytes flipped, the text cut, JSON values replaced by
 * values of other types ({@code null}, numbers, arrays, objects, deep nesting), keys removed,
 * invalid UTF-8 inserted.
 */
final class NotebookFuzz {

  /** The most bytes one round may allocate: files are a few KiB, the JSON tree a few times that. */
  static final long MAX_ALLOCATED_PER_ROUND = 16 << 20;

  private static final String SEED =
      "{\n"
          + " \"cells\": [\n"
          + "  {\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"# ReLU\\n\","
          + " \"text\"]},\n"
          + "  {\"cell_type\": \"code\", \"execution_count\": 1, \"metadata\": {\"dnn_lessons\":"
          + " {\"check\": \"shape\"}},\n"
          + "   \"outputs\": [{\"name\": \"stdout\", \"output_type\": \"stream\", \"text\":"
          + " [\"[[ 5.11 8.44]]\\n\"]},\n"
          + "    {\"output_type\": \"execute_result\", \"data\": {\"text/plain\": [\"42\"]},"
          + " \"metadata\": {}, \"execution_count\": 1},\n"
          + "    {\"output_type\": \"error\", \"ename\": \"E\", \"evalue\": \"v\", \"traceback\":"
          + " []}],\n"
          + "   \"source\": \"System.out.println(1);\"}\n"
          + " ],\n"
          + " \"metadata\": {\"kernelspec\": {\"name\": \"dnn-lessons-java\", \"language\":"
          + " \"java\"}},\n"
          + " \"nbformat\": 4, \"nbformat_minor\": 5\n"
          + "}\n";

  private static final String[] VALUES = {
    "null",
    "0",
    "4",
    "-1",
    "1e999",
    "\"\"",
    "\"x\"",
    "[]",
    "{}",
    "[1]",
    "[null]",
    "true",
    "{\"a\": [[[[[]]]]]}",
    "\"\\ud800\"",
    "[" + "[".repeat(5000) + "]".repeat(5000) + "]"
  };

  /** What the rounds found. */
  static final class Report {
    int rounds;
    int accepted;
    int refused;
    final List<String> crashes = new ArrayList<>();
    long mostAllocated;
    double slowestSeconds;

    String summary() {
      return String.format(
          Locale.ROOT,
          "notebook fuzz: %d rounds, %d accepted, %d refused, %d crashes; slowest round %.3f s;"
              + " most allocated in a round %d KiB",
          rounds,
          accepted,
          refused,
          crashes.size(),
          slowestSeconds,
          mostAllocated >> 10);
    }
  }

  private NotebookFuzz() {}

  static Report run(int rounds, long seed, Path dir) throws IOException {
    Random random = new Random(seed);
    Report report = new Report();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int round = 0; round < rounds; round++) {
      byte[] bytes = mutate(random);
      Path file = dir.resolve("round-" + (round % 16) + ".ipynb");
      Files.write(file, bytes);
      report.rounds++;
      long before = threads.getThreadAllocatedBytes(thread);
      long start = System.nanoTime();
      try {
        Notebook nb = Notebook.read(file);
        for (Notebook.Cell cell : nb.cells()) {
          cell.type();
          cell.source();
          cell.number();
          if (cell.type().equals("code")) {
            cell.outputText();
          }
        }
        nb.write(dir.resolve("written.ipynb")); // Gson writes recursively: depth is bounded
        report.accepted++;
      } catch (NotebookException e) {
        String m = e.getMessage();
        if (!m.startsWith(file + ": ") || m.lines().count() != 1 || m.contains("unexpected")) {
          report.crashes.add("round " + round + " (seed " + seed + "): bad message: " + m);
        } else {
          report.refused++;
        }
      } catch (Throwable t) {
        StackTraceElement[] at = t.getStackTrace();
        report.crashes.add(
            "round "
                + round
                + " (seed "
                + seed
                + "): "
                + t
                + " at "
                + java.util.Arrays.asList(at).subList(Math.max(0, at.length - 40), at.length));
      }
      report.slowestSeconds = Math.max(report.slowestSeconds, (System.nanoTime() - start) / 1e9);
      long allocated = threads.getThreadAllocatedBytes(thread) - before;
      report.mostAllocated = Math.max(report.mostAllocated, allocated);
      if (allocated > MAX_ALLOCATED_PER_ROUND) {
        report.crashes.add("round " + round + ": allocated " + allocated + " bytes");
      }
    }
    return report;
  }

  private static byte[] mutate(Random r) {
    String text = SEED;
    for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
      switch (r.nextInt(6)) {
        case 0, 1 -> { // a value replaced by one of another type
          int colon = nth(text, ':', r);
          if (colon >= 0) {
            int end = valueEnd(text, colon + 1);
            text =
                text.substring(0, colon + 1)
                    + " "
                    + VALUES[r.nextInt(VALUES.length)]
                    + text.substring(end);
          }
        }
        case 2 -> { // a key renamed (so the key is missing)
          int quote = nth(text, '"', r);
          if (quote >= 0 && quote + 1 < text.length()) {
            text = text.substring(0, quote + 1) + "_" + text.substring(quote + 1);
          }
        }
        case 3 -> text = text.substring(0, r.nextInt(text.length() + 1)); // cut
        case 4 -> { // a character replaced
          if (!text.isEmpty()) {
            int at = r.nextInt(text.length());
            String chars = "{}[]\",:\\ 0a";
            char c = chars.charAt(r.nextInt(chars.length()));
            text = text.substring(0, at) + c + text.substring(at + 1);
          }
        }
        default -> {
          // raw bytes below: invalid UTF-8
        }
      }
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (r.nextInt(10) == 0 && bytes.length > 0) {
      bytes[r.nextInt(bytes.length)] = (byte) (0x80 + r.nextInt(128));
    }
    return bytes;
  }

  /** The position of a random occurrence of {@code c}, or -1. */
  private static int nth(String text, char c, Random r) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == c) {
        at.add(i);
      }
    }
    return at.isEmpty() ? -1 : at.get(r.nextInt(at.size()));
  }

  /** Where the JSON value starting at {@code from} ends, roughly: the next , } ] at depth 0. */
  private static int valueEnd(String text, int from) {
    int depth = 0;
    boolean string = false;
    for (int i = from; i < text.length(); i++) {
      char c = text.charAt(i);
      if (string) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          string = false;
        }
      } else if (c == '"') {
        string = true;
      } else if (c == '[' || c == '{') {
        depth++;
      } else if (c == ']' || c == '}') {
        if (depth == 0) {
          return i;
        }
        depth--;
      } else if (c == ',' && depth == 0) {
        return i;
      }
    }
    return text.length();
  }

  /** {@code NotebookFuzz ROUNDS SEED DIR}: prints the summary; exits 1 on a crash. */
  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[2]);
    Files.createDirectories(dir);
    Report report = run(Integer.parseInt(args[0]), Long.parseLong(args[1]), dir);
    System.out.println(report.summary());
    report.crashes.stream().limit(20).forEach(System.out::println);
    System.exit(report.crashes.isEmpty() ? 0 : 1);
  }
}
