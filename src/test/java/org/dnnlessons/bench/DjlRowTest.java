package org.dnnlessons.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DJL row of the training table: present when {@code bench-djl}'s jar is built, left out with
 * one line saying how to build it when not, and a note instead of a failure when it cannot start.
 * The jar here is a stand-in ({@link FakeDjlPeer}): the real one is built on demand, not by {@code
 * mvn verify}.
 */
class DjlRowTest {

  @TempDir Path dir;

  @Test
  void aMissingJarLeavesTheRowOutWithTheCommandThatBuildsIt() throws Exception {
    Path jar = dir.resolve("bench-djl.jar");
    TrainingComparison c = new TrainingComparison();
    try {
      c.startDjl(jar);
      assertEquals(List.of(), c.peerLabels());
      assertEquals(
          List.of(
              "DJL (PyTorch engine) row left out: no "
                  + jar
                  + " (build it once with `mvn -B -f bench-djl/pom.xml package`; it fetches DJL"
                  + " 0.36.0 and PyTorch 2.7.1's CPU library, 112 MB, from Maven Central)."),
          c.notes());
    } finally {
      c.close();
    }
  }

  @Test
  void theDefaultJarIsWhereTheBuildLeavesIt() throws Exception {
    assertEquals(Path.of("bench-djl", "target", "bench-djl.jar"), DjlPeerJar.JAR);
    // the build named in the line exists and names that jar
    String pom = Files.readString(Path.of("bench-djl", "pom.xml"));
    assertTrue(pom.contains("<finalName>bench-djl</finalName>"), "bench-djl/pom.xml's finalName");
    assertTrue(DjlPeerJar.BUILD.endsWith("-f bench-djl/pom.xml package"), DjlPeerJar.BUILD);
  }

  @Test
  void aBuiltJarBecomesARowServedOverTheProtocol() throws Exception {
    Path jar = fakeJar("bench-djl.jar");
    TrainingComparison c = new TrainingComparison();
    try {
      c.startDjl(jar);
      assertEquals(List.of(), c.notes());
      assertEquals(List.of(DjlPeerJar.LABEL), c.peerLabels());
      // started with the digits' directory and passive OpenMP threads, as the PyTorch row is
      assertEquals(
          Map.of(
              "DJL fake (args --data " + Path.of("data", "mnist") + ", OMP_WAIT_POLICY=PASSIVE)",
              jar.toString()),
          c.runtimes());
    } finally {
      c.close();
    }
    try (PythonTrainingServer server = DjlPeerJar.start(jar, Path.of("data", "mnist"))) {
      assertEquals(0.25, server.train("djl", 128, 25), 0);
      assertEquals(
          76.5, server.validationLossAfter("djl", 32, dir.resolve("w"), dir.resolve("i")), 0);
    }
  }

  @Test
  void theRowJoinsThePeersEvenWithoutThePythonRuntimes() throws Exception {
    Path jar = fakeJar("bench-djl.jar");
    Path noPython = dir.resolve("no-python");
    TrainingComparison c = new TrainingComparison();
    try {
      c.startPeers(noPython, noPython, true, jar);
      assertEquals(List.of(DjlPeerJar.LABEL), c.peerLabels());
      assertTrue(
          c.notes().stream().anyMatch(n -> n.startsWith("JAX and PyTorch rows left out: no ")),
          c.notes().toString());
    } finally {
      c.close();
    }
  }

  @Test
  void aJarThatFailsToStartBecomesANoteWithItsLastErrorLine() throws Exception {
    Path jar = fakeJar("broken-bench-djl.jar");
    TrainingComparison c = new TrainingComparison();
    try {
      c.startDjl(jar);
      assertEquals(List.of(), c.peerLabels());
      assertEquals(
          List.of(
              "Rows [djl] left out: "
                  + jar
                  + ": expected 'ready...', got end of output (Failed to load PyTorch native"
                  + " library)"),
          c.notes());
    } finally {
      c.close();
    }
  }

  /** A jar whose main class is {@link FakeDjlPeer}, copied from the test classes. */
  private Path fakeJar(String name) throws IOException {
    Path jar = dir.resolve(name);
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, FakeDjlPeer.class.getName());
    String entry = FakeDjlPeer.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest);
        InputStream in = FakeDjlPeer.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      in.transferTo(out);
      out.closeEntry();
    }
    return jar;
  }
}
