package org.dnnlessons.keras;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.dnnlessons.checkpoint.CheckpointException;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.CheckpointState;
import org.dnnlessons.files.Messages;

/**
 * Seeded mutations of the small valid files Python wrote ({@code make_fuzz_seeds.py}), one file per
 * round, read the way the commands read them: {@code .weights.h5} and {@code .keras} through {@link
 * MlpWeights#read} and {@link KerasWeightsFile#read} (what {@code evaluate} and {@code inspect}
 * call), {@code saved_model.pb} through {@link MlpWeights#read} of its directory, the TF2 object
 * graph through {@link ObjectGraphModel} against the seed checkpoint's real variables, and the
 * {@code checkpoint} state file through {@link CheckpointState#read} and {@link
 * CheckpointState#resolve}. Every round either reads or fails with one {@link CheckpointException}
 * of one line (under 400 characters) naming the file; anything else is a crash.
 *
 * <p>For {@code .keras}, a third of the rounds damage the zip's bytes, the rest damage {@code
 * config.json} or {@code model.weights.h5} and zip them again with good CRCs, so the damage reaches
 * the parsers behind the archive.
 *
 * <p>Run by {@link ReaderFuzzIT} in a JVM with {@value ReaderFuzzIT#HEAP}, where a reader that
 * allocated what a file claims dies of {@code OutOfMemoryError} ({@code
 * -XX:+ExitOnOutOfMemoryError}). Arguments: rounds per format, seed, a scratch directory. Prints
 * one line per format (rounds, read, refused, crashes, largest allocation and slowest round) and
 * the process's peak resident memory.
 */
public final class ReaderFuzz {

  /** What one round damages. */
  enum Format {
    WEIGHTS_H5,
    KERAS,
    SAVED_MODEL,
    OBJECT_GRAPH,
    STATE_FILE
  }

  /** A round slower than this is reported as a hang, with the stack it hung in. */
  static final long HANG_SECONDS = 30;

  static final Path SEEDS = Path.of("src/test/resources/org/dnnlessons/keras/fuzz");

  private static final class Tally {
    int rounds;
    int read;
    int refused;
    int crashes;
    long maxAllocated;
    double maxSeconds;
    final List<String> firstCrashes = new ArrayList<>();
  }

  private ReaderFuzz() {}

  public static void main(String[] args) throws Exception {
    int rounds = Integer.parseInt(args[0]);
    Random random = new Random(Long.parseLong(args[1]));
    Path scratch = Path.of(args[2]);
    byte[] h5 = Files.readAllBytes(SEEDS.resolve("seed.weights.h5"));
    byte[] keras = Files.readAllBytes(SEEDS.resolve("seed.keras"));
    Map<String, byte[]> entries = entries(SEEDS.resolve("seed.keras"));
    byte[] savedModel = Files.readAllBytes(SEEDS.resolve("saved_model/saved_model.pb"));
    CheckpointReader tf2 = CheckpointReader.open(SEEDS.resolve("tf2/ckpt-1"));
    byte[] graph = tf2.read(ObjectGraphModel.OBJECT_GRAPH_KEY).strings().get(0);
    byte[] state = Files.readAllBytes(SEEDS.resolve("tf2/checkpoint"));
    Path model = Files.createDirectories(scratch.resolve("saved_model"));
    copyTree(SEEDS.resolve("saved_model"), model);
    Path stateDir = Files.createDirectories(scratch.resolve("state"));
    copyTree(SEEDS.resolve("tf2"), stateDir);

    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    Thread main = Thread.currentThread();
    Map<Format, Tally> tallies = new EnumMap<>(Format.class);
    long[] roundStart = {System.nanoTime()};
    String[] roundName = {""};
    Thread watchdog =
        new Thread(
            () -> {
              while (true) {
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
                long s = (System.nanoTime() - roundStart[0]) / 1_000_000_000L;
                if (s > HANG_SECONDS) {
                  System.out.println("HANG in " + roundName[0] + " after " + s + " s:");
                  for (StackTraceElement e : main.getStackTrace()) {
                    System.out.println("  at " + e);
                  }
                  System.out.flush();
                  Runtime.getRuntime().halt(2);
                }
              }
            });
    watchdog.setDaemon(true);
    watchdog.start();

    for (int round = 0; round < rounds * Format.values().length; round++) {
      Format format = Format.values()[round % Format.values().length];
      Tally tally = tallies.computeIfAbsent(format, f -> new Tally());
      Path file;
      switch (format) {
        case WEIGHTS_H5 -> file = Files.write(scratch.resolve("m.weights.h5"), mutate(h5, random));
        case KERAS -> {
          byte[] bytes;
          int kind = random.nextInt(3);
          if (kind == 0) {
            bytes = mutate(keras, random);
          } else {
            Map<String, byte[]> damaged = new LinkedHashMap<>(entries);
            String name = kind == 1 ? KerasFiles.CONFIG_ENTRY : KerasFiles.WEIGHTS_ENTRY;
            damaged.put(name, mutate(entries.get(name), random));
            bytes = zip(damaged);
          }
          file = Files.write(scratch.resolve("m.keras"), bytes);
        }
        case SAVED_MODEL ->
            file = Files.write(model.resolve("saved_model.pb"), mutate(savedModel, random));
        case OBJECT_GRAPH -> file = tf2.prefix();
        case STATE_FILE ->
            file = Files.write(stateDir.resolve(CheckpointState.FILE_NAME), mutate(state, random));
        default -> throw new AssertionError(format);
      }
      byte[] damagedGraph = format == Format.OBJECT_GRAPH ? mutate(graph, random) : null;
      roundName[0] = format + " round " + round;
      long allocatedBefore = threads.getThreadAllocatedBytes(thread);
      roundStart[0] = System.nanoTime();
      boolean ok;
      try {
        ok = exercise(format, file, model, stateDir, tf2, damagedGraph, tally);
      } catch (Throwable t) {
        ok = false;
        tally.crashes++;
        if (tally.firstCrashes.size() < 5) {
          tally.firstCrashes.add(roundName[0] + ": " + t + at(t));
        }
      }
      double seconds = (System.nanoTime() - roundStart[0]) / 1e9;
      roundStart[0] = System.nanoTime();
      long allocated = threads.getThreadAllocatedBytes(thread) - allocatedBefore;
      tally.rounds++;
      tally.maxSeconds = Math.max(tally.maxSeconds, seconds);
      tally.maxAllocated = Math.max(tally.maxAllocated, allocated);
      if (ok) {
        tally.read++;
      }
    }
    watchdog.interrupt();
    int crashes = 0;
    for (Map.Entry<Format, Tally> e : tallies.entrySet()) {
      Tally t = e.getValue();
      crashes += t.crashes;
      System.out.printf(
          Locale.ROOT,
          "%s: %d rounds, %d read, %d refused with one line, %d crashes, largest allocation in a"
              + " round %.1f MiB, slowest round %.3f s%n",
          e.getKey(),
          t.rounds,
          t.read,
          t.refused,
          t.crashes,
          t.maxAllocated / 1048576.0,
          t.maxSeconds);
      t.firstCrashes.forEach(c -> System.out.println("  crash: " + c));
    }
    System.out.printf(
        Locale.ROOT, "total: %d crashes, peak resident %d KiB%n", crashes, peakResidentKib());
  }

  /** True when every read of the round worked; false when one was refused with one good line. */
  private static boolean exercise(
      Format format,
      Path file,
      Path model,
      Path stateDir,
      CheckpointReader tf2,
      byte[] graph,
      Tally tally) {
    boolean read =
        switch (format) {
          case WEIGHTS_H5, KERAS ->
              reads(() -> KerasWeightsFile.read(file), file)
                  & reads(() -> MlpWeights.read(file), file);
          // the directory's reader names saved_model.pb or the variables it read
          case SAVED_MODEL -> reads(() -> MlpWeights.read(model), null);
          case OBJECT_GRAPH ->
              reads(() -> ObjectGraphModel.layersOfGraph(tf2, graph), tf2.prefix());
          case STATE_FILE ->
              reads(() -> CheckpointState.read(stateDir), file)
                  & reads(() -> CheckpointState.resolve(stateDir, w -> {}), null);
        };
    if (!read) {
      tally.refused++;
    }
    return read;
  }

  private interface Read {
    Object run() throws CheckpointException;
  }

  /** True when {@code read} worked, false when it was refused with one line naming {@code file}. */
  private static boolean reads(Read read, Path file) {
    try {
      read.run();
      return true;
    } catch (CheckpointException e) {
      String m = e.getMessage();
      Path named = file != null ? file : e.file();
      if (m.lines().count() != 1
          || m.length() > Messages.MAX_MESSAGE_CHARS
          || !m.startsWith(String.valueOf(named))) {
        throw new IllegalStateException("not one line naming " + named + ": " + m, e);
      }
      return false;
    }
  }

  /** One to four damages: flipped bits, random or boundary bytes, a cut, a copied run, a gap. */
  static byte[] mutate(byte[] original, Random random) {
    byte[] b = original.clone();
    int damages = 1 + random.nextInt(4);
    for (int i = 0; i < damages && b.length > 0; i++) {
      int at = random.nextInt(b.length);
      switch (random.nextInt(7)) {
        case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
        case 1 -> b[at] = (byte) random.nextInt(256);
        case 2 -> {
          // a size field's worst values: all ones, the top bit, small numbers
          long[] values = {-1L, Long.MAX_VALUE, Integer.MAX_VALUE, 0x80000000L, 0, 1, 0xFFFF};
          long v = values[random.nextInt(values.length)];
          int width = new int[] {1, 2, 4, 8}[random.nextInt(4)];
          for (int k = 0; k < width && at + k < b.length; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
          }
        }
        case 3 -> b = java.util.Arrays.copyOf(b, at);
        case 4 -> {
          int len = Math.min(1 + random.nextInt(64), b.length - at);
          int to = random.nextInt(b.length);
          System.arraycopy(b.clone(), at, b, to, Math.min(len, b.length - to));
        }
        case 5 -> {
          int len = Math.min(1 + random.nextInt(16), b.length - at);
          for (int k = 0; k < len; k++) {
            b[at + k] = 0;
          }
        }
        default -> {
          byte[] longer = new byte[b.length + 1 + random.nextInt(32)];
          System.arraycopy(b, 0, longer, 0, at);
          System.arraycopy(b, at, longer, longer.length - (b.length - at), b.length - at);
          b = longer;
        }
      }
    }
    return b;
  }

  private static Map<String, byte[]> entries(Path keras) throws IOException {
    Map<String, byte[]> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(keras.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        out.put(e.getName(), zip.getInputStream(e).readAllBytes());
      }
    }
    return out;
  }

  private static byte[] zip(Map<String, byte[]> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        zip.putNextEntry(new ZipEntry(e.getKey()));
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static String at(Throwable t) {
    StringBuilder s = new StringBuilder();
    StackTraceElement[] trace = t.getStackTrace();
    for (int i = 0; i < Math.min(6, trace.length); i++) {
      s.append(" at ").append(trace[i]);
    }
    return s.toString();
  }

  /** Peak resident memory of this process (VmHWM), in KiB, or -1 off Linux. */
  static long peakResidentKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    return -1;
  }
}
