package org.dnnlessons.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Feeds {@link IdxReader} (and {@link DataSet} on what it accepts) crafted IDX files, raw and
 * gzip-compressed, and checks the promise on every round: the file is read, or refused with one
 * {@link DatasetException} line naming the file and the reason; never another exception, never more
 * memory than a bound, never a long round.
 *
 * <p>Mutations: header fields set to values that overflow or wrap ({@code 2^21}, {@code 2^22},
 * {@code 2^31-1}, negatives), bytes flipped, files cut or extended, gzip data damaged, gzip members
 * of zeros appended (small bombs), consistent files up to four times the payload limit, and foreign
 * data (HTML, zip) in place of the file. Reads use a payload limit of {@link #LIMIT} bytes; nothing
 * above it may be accepted.
 *
 * <p>Run from the test class path: {@code java -Xmx64m -cp ... org.dnnlessons.data.IdxFuzz ROUNDS
 * SEED DIR} prints one summary line (rounds per format, refusals, crashes, the slowest round, the
 * most bytes allocated in a round, the peak resident memory of the process) and exits 1 on a crash.
 */
final class IdxFuzz {

  /** The payload limit of the fuzzed reads: small, so that files beyond it are cheap to make. */
  static final long LIMIT = 256 << 10;

  /** The most bytes one round may allocate: the limit twice (buffer growth), plus slack. */
  static final long MAX_ALLOCATED_PER_ROUND = 2 * LIMIT + (8 << 20);

  private static final int[] INTERESTING = {
    0,
    1,
    2,
    7,
    28,
    255,
    256,
    784,
    65535,
    65536,
    1 << 20,
    1 << 21,
    1 << 22,
    1 << 24,
    1 << 30,
    Integer.MAX_VALUE,
    Integer.MIN_VALUE,
    -1,
    -784,
    2049,
    2051,
    0x1f8b0800,
    46341,
    46340
  };

  /** What the rounds found. */
  static final class Report {
    final int[] rounds = new int[4]; // images raw, images gzip, labels raw, labels gzip
    int accepted;
    int refused;
    final java.util.Map<String, Integer> reasons = new java.util.TreeMap<>();
    final List<String> crashes = new ArrayList<>();
    double slowestSeconds;
    long mostAllocated;

    String summary() {
      return String.format(
          Locale.ROOT,
          "IDX fuzz: %d rounds (images raw %d, images gzip %d, labels raw %d, labels gzip %d),"
              + " %d accepted, %d refused, %d crashes; slowest round %.3f s; most allocated in"
              + " a round %d KiB",
          rounds[0] + rounds[1] + rounds[2] + rounds[3],
          rounds[0],
          rounds[1],
          rounds[2],
          rounds[3],
          accepted,
          refused,
          crashes.size(),
          slowestSeconds,
          mostAllocated >> 10);
    }
  }

  private IdxFuzz() {}

  /** Runs {@code rounds} rounds from {@code seed}, writing files into {@code dir}. */
  static Report run(int rounds, long seed, Path dir) throws IOException {
    Random random = new Random(seed);
    Report report = new Report();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int round = 0; round < rounds; round++) {
      boolean images = random.nextBoolean();
      boolean gzip = random.nextBoolean();
      byte[] raw = images ? seedImages(random) : seedLabels(random);
      raw = mutate(raw, random, images);
      byte[] bytes = gzip ? gzip(raw, random) : raw;
      if (gzip && random.nextInt(8) == 0) {
        bytes = damage(bytes, random);
      }
      if (random.nextInt(40) == 0) {
        bytes = foreign(random);
      }
      Path file = dir.resolve("round-" + (round % 16) + (gzip ? ".gz" : ""));
      Files.write(file, bytes);
      report.rounds[(images ? 0 : 2) + (gzip ? 1 : 0)]++;
      long allocatedBefore = threads.getThreadAllocatedBytes(thread);
      long start = System.nanoTime();
      try {
        if (images) {
          IdxImages read = IdxReader.readImages(file, LIMIT);
          if ((long) read.count() * read.rows() * read.columns() != read.pixels().length) {
            throw new AssertionError("accepted images whose sizes disagree");
          }
          if (read.pixels().length > LIMIT) {
            throw new AssertionError("accepted " + read.pixels().length + " bytes, over the limit");
          }
          if (read.count() > 0) {
            new DataSet(
                    read.pixels(),
                    new byte[read.count()],
                    read.rows(),
                    read.columns(),
                    true,
                    false,
                    0)
                .imageSize();
          }
        } else {
          byte[] labels = IdxReader.readLabels(file, LIMIT);
          if (labels.length > LIMIT) {
            throw new AssertionError("accepted " + labels.length + " labels, over the limit");
          }
          for (byte b : labels) {
            if ((b & 0xFF) >= IdxReader.NUM_CLASSES) {
              throw new AssertionError("accepted label " + (b & 0xFF));
            }
          }
        }
        report.accepted++;
      } catch (DatasetException e) {
        String problem = checkMessage(e, file);
        if (problem != null) {
          report.crashes.add("round " + round + " (seed " + seed + "): " + problem);
        } else {
          report.refused++;
          report.reasons.merge(
              e.reason().replaceAll("[0-9]+", "N").replaceAll("'.*'", "'...'"), 1, Integer::sum);
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
      double seconds = (System.nanoTime() - start) / 1e9;
      long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
      report.slowestSeconds = Math.max(report.slowestSeconds, seconds);
      report.mostAllocated = Math.max(report.mostAllocated, allocated);
      if (allocated > MAX_ALLOCATED_PER_ROUND) {
        report.crashes.add(
            "round " + round + " (seed " + seed + "): allocated " + allocated + " bytes");
      }
    }
    return report;
  }

  /** Null when the message keeps the promise, else what is wrong with it. */
  static String checkMessage(DatasetException e, Path file) {
    String m = e.getMessage();
    if (!file.toString().equals(e.source())) {
      return "does not name the file: " + m;
    }
    if (e.reason() == null || e.reason().isBlank()) {
      return "no reason: " + m;
    }
    if (m.lines().count() != 1) {
      return "more than one line: " + m;
    }
    if (m.contains("unexpected") || m.contains("null") || m.contains("Exception")) {
      return "not a user's message: " + m;
    }
    return null;
  }

  private static byte[] seedImages(Random r) {
    int count = r.nextInt(6);
    int rows = 1 + r.nextInt(6);
    int columns = 1 + r.nextInt(6);
    ByteBuffer b = ByteBuffer.allocate(16 + count * rows * columns);
    b.putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(rows).putInt(columns);
    for (int i = 0; i < count * rows * columns; i++) {
      b.put((byte) r.nextInt(256));
    }
    return b.array();
  }

  private static byte[] seedLabels(Random r) {
    int count = r.nextInt(12);
    ByteBuffer b = ByteBuffer.allocate(8 + count);
    b.putInt(IdxReader.LABELS_MAGIC).putInt(count);
    for (int i = 0; i < count; i++) {
      b.put((byte) r.nextInt(10));
    }
    return b.array();
  }

  private static byte[] mutate(byte[] raw, Random r, boolean images) {
    byte[] out = raw.clone();
    int header = images ? 16 : 8;
    int mutations = 1 + r.nextInt(3);
    for (int k = 0; k < mutations; k++) {
      switch (r.nextInt(10)) {
        case 0, 1, 2 -> { // a header field set to an interesting value
          int field = r.nextInt(header / 4);
          int value = INTERESTING[r.nextInt(INTERESTING.length)];
          if (r.nextInt(4) == 0) {
            value += r.nextInt(5) - 2;
          }
          if (out.length >= field * 4 + 4) {
            ByteBuffer.wrap(out).putInt(field * 4, value);
          }
        }
        case 3 -> { // a random byte flipped
          if (out.length > 0) {
            out[r.nextInt(out.length)] ^= (byte) (1 + r.nextInt(255));
          }
        }
        case 4 -> out = java.util.Arrays.copyOf(out, r.nextInt(out.length + 1)); // cut
        case 5 -> { // extended by a few bytes, or many
          int extra = r.nextInt(4) == 0 ? r.nextInt(2 << 20) : r.nextInt(40);
          out = java.util.Arrays.copyOf(out, out.length + extra);
        }
        case 6 -> { // the payload grown to what a header might claim
          int n = r.nextInt((int) LIMIT + 1024);
          out = java.util.Arrays.copyOf(out, header + n);
          ByteBuffer.wrap(out).putInt(4, n);
          if (images && out.length >= 16) {
            ByteBuffer.wrap(out).putInt(8, 1).putInt(12, 1);
          }
        }
        case 7 -> { // the other kind's magic
          if (out.length >= 4) {
            ByteBuffer.wrap(out)
                .putInt(0, images ? IdxReader.LABELS_MAGIC : IdxReader.IMAGES_MAGIC);
          }
        }
        case 8 -> { // a consistent file, valid but for its size: up to 4 times the limit
          int n = (int) LIMIT - 64 + r.nextInt((int) (3 * LIMIT));
          out = new byte[header + n];
          ByteBuffer b = ByteBuffer.wrap(out);
          b.putInt(0, images ? IdxReader.IMAGES_MAGIC : IdxReader.LABELS_MAGIC).putInt(4, n);
          if (images) {
            b.putInt(8, 1).putInt(12, 1);
          }
        }
        default -> { // dimensions whose product wraps past 2^64
          if (images && out.length >= 16) {
            ByteBuffer.wrap(out).putInt(4, 1 << 22).putInt(8, 1 << 21).putInt(12, 1 << 21);
          }
        }
      }
    }
    return out;
  }

  /** As gzip; sometimes several members, sometimes followed by members of zeros (a small bomb). */
  private static byte[] gzip(byte[] raw, Random r) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int split = raw.length > 1 && r.nextInt(4) == 0 ? r.nextInt(raw.length) : raw.length;
    out.write(member(java.util.Arrays.copyOfRange(raw, 0, split)));
    if (split < raw.length) {
      out.write(member(java.util.Arrays.copyOfRange(raw, split, raw.length)));
    }
    if (r.nextInt(10) == 0) {
      byte[] zeros = member(new byte[1 << 20]);
      for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
        out.write(zeros);
      }
    }
    return out.toByteArray();
  }

  private static byte[] member(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  private static byte[] damage(byte[] gz, Random r) {
    byte[] out = gz.clone();
    switch (r.nextInt(3)) {
      case 0 -> {
        for (int i = 0, n = 1 + r.nextInt(8); i < n; i++) {
          int at = r.nextInt(out.length);
          out[at] ^= (byte) (1 + r.nextInt(255));
        }
      }
      case 1 -> out = java.util.Arrays.copyOf(out, r.nextInt(out.length));
      default -> out = java.util.Arrays.copyOf(out, out.length + 1 + r.nextInt(30));
    }
    return out;
  }

  private static byte[] foreign(Random r) {
    String[] texts = {
      "<!DOCTYPE html><html><body>404</body></html>",
      "<html><head><title>Error</title></head></html>",
      "{\"error\": \"not found\"}",
      ""
    };
    if (r.nextBoolean()) {
      return texts[r.nextInt(texts.length)].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
    byte[] b = new byte[r.nextInt(64)];
    r.nextBytes(b);
    return b;
  }

  /** Peak resident memory of this process (VmHWM), in KiB, or -1 off Linux. */
  static long peakResidentKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** {@code IdxFuzz ROUNDS SEED DIR}: runs the rounds, prints the summary, exits 1 on a crash. */
  public static void main(String[] args) throws IOException {
    int rounds = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    Path dir = Path.of(args[2]);
    Files.createDirectories(dir);
    Report report = run(rounds, seed, dir);
    System.out.println(report.summary() + "; peak resident " + peakResidentKib() + " KiB");
    report.crashes.stream().limit(20).forEach(System.out::println);
    if (Boolean.getBoolean("fuzz.reasons")) {
      report.reasons.forEach((reason, n) -> System.out.println(n + "\t" + reason));
    }
    System.exit(report.crashes.isEmpty() ? 0 : 1);
  }
}
