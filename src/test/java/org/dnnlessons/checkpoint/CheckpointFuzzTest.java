package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32C;
import org.dnnlessons.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seeded mutations of real checkpoints Python wrote, one file per round, checking the reader's
 * promise for every kind of file it reads: whatever the damage, {@code open}, {@code read} (and
 * numpy formatting), {@code readInto}, {@code inspect --all --json} and the state file either work
 * or fail with a {@link CheckpointException} whose one-line message names the damaged file, the
 * byte offset when the damage is in a byte of it, and the reason; no other exception escapes, no
 * round allocates more than {@link #MAX_ALLOCATED_PER_ROUND} or runs longer than {@link
 * #MAX_SECONDS_PER_ROUND}. Half of the table mutations recompute the blocks' checksums, so the
 * damage reaches the parsers behind them.
 *
 * <p>{@code -Dfuzz.rounds=100000} runs more rounds (the default keeps {@code mvn verify} quick);
 * the numbers per kind of file are printed at the end.
 */
class CheckpointFuzzTest {

  private static final int ROUNDS = Integer.getInteger("fuzz.rounds", 3000);

  /** Bytes one round may allocate (the files are a few kilobytes). */
  static final long MAX_ALLOCATED_PER_ROUND = 64L << 20;

  /** A round that takes longer hangs (real rounds take milliseconds; generous for shared CI). */
  static final double MAX_SECONDS_PER_ROUND = 10;

  /** The file a round damages. */
  enum Target {
    V2_INDEX("dtypes", "model.ckpt.index", true),
    V2_DATA("dtypes", "model.ckpt.data-00000-of-00001", false),
    PARTITIONED_INDEX("partitioned", "model.ckpt.index", true),
    PARTITIONED_DATA("partitioned", "model.ckpt.data-00000-of-00001", false),
    V1_FILE("v1", "model.ckpt", true),
    STATE_FILE("dtypes", CheckpointState.FILE_NAME, false);

    final String fixture;
    final String file;
    final boolean table;

    Target(String fixture, String file, boolean table) {
      this.fixture = fixture;
      this.file = file;
      this.table = table;
    }
  }

  /** What happened to the rounds of one target. */
  static final class Tally {
    int rounds;
    int opened;
    int refused;
    int tensorsRead;
    int tensorsRefused;
    int jsonOk;
    int jsonRefused;
    long maxAllocated;
    double maxSeconds;
    final Map<String, Integer> reasons = new java.util.TreeMap<>();

    void refusedBecause(CheckpointException e) {
      String kind =
          e.reason().replaceAll("'[^']*'", "'…'").replaceAll("[0-9a-fx]*[0-9][0-9a-fx]*", "N");
      reasons.merge(kind.length() > 70 ? kind.substring(0, 70) : kind, 1, Integer::sum);
    }

    String commonReasons() {
      return reasons.entrySet().stream()
          .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
          .limit(4)
          .map(e -> e.getValue() + "x " + e.getKey())
          .collect(java.util.stream.Collectors.joining("; "));
    }

    @Override
    public String toString() {
      return String.format(
          java.util.Locale.ROOT,
          "%d rounds (%d opened, %d refused at open; tensors %d read, %d refused; inspect --json %d"
              + " ok, %d refused), largest allocation in a round %.1f MiB, slowest round %.3f s",
          rounds,
          opened,
          refused,
          tensorsRead,
          tensorsRefused,
          jsonOk,
          jsonRefused,
          maxAllocated / 1048576.0,
          maxSeconds);
    }
  }

  @TempDir Path dir;

  @Test
  void everyFailureIsOneCheckpointExceptionNamingFileOffsetAndReason() throws Exception {
    Random random = new Random(20261130);
    Map<Target, Tally> tallies = new EnumMap<>(Target.class);
    List<String> problems = new ArrayList<>();
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    for (int round = 0; round < ROUNDS; round++) {
      Target target = Target.values()[round % Target.values().length];
      Tally tally = tallies.computeIfAbsent(target, t -> new Tally());
      Path roundDir = Files.createDirectories(dir.resolve("r" + (round % 8)));
      Path damaged = setUp(roundDir, target, random);
      long allocatedBefore = threads.getThreadAllocatedBytes(thread);
      long start = System.nanoTime();
      try {
        exercise(target, roundDir, damaged, tally, problems, round);
      } catch (Throwable t) {
        problems.add("round " + round + " (" + target + "): " + t + " escaped" + stackTop(t));
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
      tally.rounds++;
      tally.maxSeconds = Math.max(tally.maxSeconds, seconds);
      tally.maxAllocated = Math.max(tally.maxAllocated, allocated);
      if (allocated > MAX_ALLOCATED_PER_ROUND || seconds > MAX_SECONDS_PER_ROUND) {
        problems.add(
            "round " + round + " (" + target + "): " + allocated + " bytes, " + seconds + " s");
      }
      if (problems.size() > 20) {
        break;
      }
    }
    StringBuilder report = new StringBuilder("checkpoint fuzz, " + ROUNDS + " rounds:\n");
    tallies.forEach(
        (t, tally) ->
            report
                .append("  ")
                .append(t)
                .append(": ")
                .append(tally)
                .append("\n    most common refusals: ")
                .append(tally.commonReasons())
                .append('\n'));
    report.append("  peak resident memory of this JVM: ").append(peakRss()).append('\n');
    System.out.print(report);
    assertEquals(List.of(), problems, report.toString());
    for (Map.Entry<Target, Tally> e : tallies.entrySet()) {
      Tally t = e.getValue();
      assertTrue(t.rounds >= ROUNDS / Target.values().length, e.getKey() + ": " + t);
      assertTrue(t.opened > 0 && t.refused > 0, e.getKey() + " both opened and refused: " + t);
    }
  }

  /** Fresh copies of the target's fixture in {@code roundDir}, one file damaged; returns it. */
  private static Path setUp(Path roundDir, Target target, Random random) throws Exception {
    try (var old = Files.list(roundDir)) {
      for (Path p : old.toList()) {
        Files.delete(p);
      }
    }
    Path source = PythonFixtures.ROOT.resolve(target.fixture);
    try (var files = Files.list(source)) {
      for (Path p :
          files.filter(p -> p.getFileName().toString().startsWith("model.ckpt")).toList()) {
        Files.copy(p, roundDir.resolve(p.getFileName()));
      }
    }
    Path damaged = roundDir.resolve(target.file);
    byte[] original =
        target == Target.STATE_FILE
            ? stateFile(random).getBytes(StandardCharsets.UTF_8)
            : Files.readAllBytes(damaged);
    byte[] mutated =
        target == Target.STATE_FILE && random.nextInt(3) == 0 ? original : mutate(original, random);
    if (target.table && random.nextBoolean()) {
      fixChecksums(mutated, blocks(original));
    }
    Files.write(damaged, mutated);
    return damaged;
  }

  /** A state file naming the checkpoint as users' state files do, relative or not. */
  private static String stateFile(Random random) {
    String[] names = {
      "model.ckpt",
      "/moved/away/model.ckpt",
      "C:\\\\Users\\\\me\\\\run\\\\model.ckpt",
      "model.ckpt-7",
      "",
      "..",
      "sub/../model.ckpt"
    };
    String name = names[random.nextInt(names.length)];
    return "model_checkpoint_path: \""
        + name
        + "\"\nall_model_checkpoint_paths: \""
        + name
        + "\"\n";
  }

  private static void exercise(
      Target target, Path roundDir, Path damaged, Tally tally, List<String> problems, int round)
      throws Exception {
    Path argument = target == Target.STATE_FILE ? roundDir : roundDir.resolve("model.ckpt");
    CheckpointReader reader;
    try {
      reader = CheckpointReader.open(argument, w -> {});
      tally.opened++;
    } catch (CheckpointException e) {
      tally.refused++;
      tally.refusedBecause(e);
      check(e, target, damaged, problems, round);
      return;
    }
    for (TensorInfo t : reader.tensors()) {
      try {
        reader.read(t.name()).format();
        int size = Dtypes.elementSize(t.dtype());
        if (size > 0) {
          ByteBuffer target0 = ByteBuffer.allocate((int) (t.numElements() * size));
          reader.readInto(t.name(), target0);
        }
        tally.tensorsRead++;
      } catch (CheckpointException e) {
        tally.tensorsRefused++;
        tally.refusedBecause(e);
        check(e, target, damaged, problems, round);
      }
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "inspect",
            argument.toString(),
            "--all",
            "--json");
    String message = err.toString(StandardCharsets.UTF_8);
    if (status == 0) {
      tally.jsonOk++;
    } else {
      tally.jsonRefused++;
      if (message.strip().lines().count() != 1
          || message.contains("unexpected")
          || !message.contains(roundDir.toString())) {
        problems.add("round " + round + " (" + target + "): inspect --json printed " + message);
      }
    }
  }

  /**
   * The exception names the damaged file (or the checkpoint) and, when it names the damaged file of
   * a format parsed byte by byte, the offset of the damage.
   */
  private static void check(
      CheckpointException e, Target target, Path damaged, List<String> problems, int round) {
    String m = e.getMessage();
    boolean namesFile =
        e.file() != null && m.startsWith(e.file() + ": ") || m.startsWith(e.file() + " at offset ");
    boolean oneLine = !m.contains("\n") && !e.reason().isBlank();
    boolean offsetWhenItsBytes =
        target == Target.STATE_FILE
            || !e.file().equals(damaged)
            || e.offset() >= 0
            || m.contains("no such file")
            || m.contains("cannot read");
    if (!namesFile || !oneLine || !offsetWhenItsBytes) {
      problems.add("round " + round + " (" + target + "): " + m);
    }
  }

  private static String stackTop(Throwable t) {
    StackTraceElement[] s = t.getStackTrace();
    return s.length == 0 ? "" : " at " + s[0];
  }

  private static String peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return line.substring(6).strip();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "unknown";
  }

  private static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    switch (random.nextInt(6)) {
      case 0 -> { // flip a few bits
        for (int i = 0, n = 1 + random.nextInt(4); i < n; i++) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
        }
      }
      case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // truncate
      case 2 -> { // a huge varint or length somewhere
        int at = random.nextInt(Math.max(1, b.length - 5));
        for (int i = 0; i < 5 && at + i < b.length; i++) {
          b[at + i] = (byte) (i < 4 ? 0xFF : 0x7F);
        }
      }
      case 3 -> { // random bytes over a run
        int at = random.nextInt(b.length);
        for (int i = at; i < Math.min(b.length, at + 1 + random.nextInt(16)); i++) {
          b[i] = (byte) random.nextInt(256);
        }
      }
      case 4 -> { // one byte set to a boundary value
        b[random.nextInt(b.length)] = (byte) new int[] {0, 1, 0x7F, 0x80, 0xFF}[random.nextInt(5)];
      }
      default -> { // grow with garbage
        b = Arrays.copyOf(b, b.length + 1 + random.nextInt(64));
        for (int i = original.length; i < b.length; i++) {
          b[i] = (byte) random.nextInt(256);
        }
      }
    }
    return b;
  }

  /** {offset, size} of the index block and every data block of a well-formed table. */
  private static int[][] blocks(byte[] table) {
    int footer = table.length - IndexTable.FOOTER_SIZE;
    int[] pos = {footer};
    varint(table, pos); // metaindex offset
    varint(table, pos); // metaindex size
    int indexOffset = (int) varint(table, pos);
    int indexSize = (int) varint(table, pos);
    List<int[]> out = new ArrayList<>();
    out.add(new int[] {indexOffset, indexSize});
    int numRestarts =
        ByteBuffer.wrap(table, indexOffset + indexSize - 4, 4)
            .order(ByteOrder.LITTLE_ENDIAN)
            .getInt();
    int end = indexOffset + indexSize - 4 - 4 * numRestarts;
    int[] p = {indexOffset};
    while (p[0] < end) {
      varint(table, p); // shared
      int unshared = (int) varint(table, p);
      varint(table, p); // value length
      p[0] += unshared;
      int off = (int) varint(table, p);
      int size = (int) varint(table, p);
      out.add(new int[] {off, size});
    }
    return out.toArray(new int[0][]);
  }

  private static void fixChecksums(byte[] table, int[][] blocks) {
    for (int[] block : blocks) {
      int end = block[0] + block[1];
      if (end + 5 > table.length) {
        continue;
      }
      CRC32C crc = new CRC32C();
      crc.update(table, block[0], block[1] + 1);
      ByteBuffer.wrap(table, end + 1, 4)
          .order(ByteOrder.LITTLE_ENDIAN)
          .putInt(IndexTable.mask((int) crc.getValue()));
    }
  }

  private static long varint(byte[] b, int[] pos) {
    long v = 0;
    for (int shift = 0; ; shift += 7) {
      int x = b[pos[0]++] & 0xFF;
      v |= (long) (x & 0x7F) << shift;
      if ((x & 0x80) == 0) {
        return v;
      }
    }
  }
}
