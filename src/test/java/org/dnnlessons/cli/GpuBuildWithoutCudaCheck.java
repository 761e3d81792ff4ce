package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.dnnlessons.jvm.JvmOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI on TensorFlow's GPU build ({@code -Pgpu}) on a machine without CUDA prints one line
 * saying the GPU is not used, then exactly what the CPU build prints, with the same numbers.
 *
 * <p>Not part of {@code mvn verify}: the GPU build's native jar is 526 MB. {@code mvn -B
 * -Pcuda-less verify} runs this check alone (it fetches that jar into {@code ~/.m2} once); it needs
 * a machine without an NVIDIA driver or device. It runs the packaged jar's class path (its
 * manifest's) twice: as built, and with the GPU jar in the CPU native jar's place.
 */
class GpuBuildWithoutCudaCheck {

  @TempDir Path workDir;

  private record Run(int status, String out, String err) {}

  private static List<String> classPath(boolean gpu) throws IOException {
    Path jar = Path.of(System.getProperty("dnnlessons.jar")).toAbsolutePath();
    Path gpuJar = Path.of(System.getProperty("gpu.native.jar"));
    assertTrue(Files.isRegularFile(gpuJar), "no GPU native jar at " + gpuJar);
    List<String> entries = new ArrayList<>(List.of(jar.toString()));
    try (JarFile j = new JarFile(jar.toFile())) {
      String manifest = j.getManifest().getMainAttributes().getValue("Class-Path");
      for (String entry : manifest.trim().split(" +")) {
        Path p = jar.resolveSibling(entry);
        boolean cpuNatives = entry.matches(".*tensorflow-core-native-.*-linux-x86_64\\.jar");
        entries.add(gpu && cpuNatives ? gpuJar.toString() : p.toString());
      }
    }
    return entries;
  }

  private Run run(boolean gpu, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JvmOptions.forChildJvm());
    command.add("-cp");
    command.add(String.join(File.pathSeparator, classPath(gpu)));
    command.add(Main.class.getName());
    command.addAll(Arrays.asList(args));
    Path out = workDir.resolve("out.txt");
    Path err = workDir.resolve("err.txt");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "did not finish in 300 s");
    return new Run(
        p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err));
  }

  /** A log line's time and thread differ from run to run; so does the training's time. */
  private static List<String> normalized(String text) {
    return CudaLogFilterTest.normalized(text).stream()
        .map(l -> l.replaceFirst("^(Trained \\d+ steps in ).*", "$1TIME"))
        .toList();
  }

  @Test
  void oneLineSaysTheGpuIsNotUsedAndTheNumbersAreTheCpuBuilds() throws Exception {
    String reason =
        GpuRuntime.unusedBecause()
            .orElseThrow(
                () -> new AssertionError("this check needs a machine without CUDA; this one has"));
    Run cpu = run(false, "lesson", "mlp", "--epochs", "2", "--seed", "1");
    Run gpu = run(true, "lesson", "mlp", "--epochs", "2", "--seed", "1");
    assertEquals(0, cpu.status(), cpu.err());
    assertEquals(0, gpu.status(), gpu.err());
    assertTrue(cpu.out().contains("Test Accuracy: "), cpu.out());
    assertEquals(normalized(cpu.out()), normalized(gpu.out()));
    List<String> expected = new ArrayList<>();
    expected.add(GpuRuntime.note(reason));
    expected.addAll(normalized(cpu.err()));
    assertEquals(expected, normalized(gpu.err()));
  }

  @Test
  void aBadCommandLineKeepsItsStatusAndItsOneLine() throws Exception {
    Run gpu = run(true, "train", "--epochs", "0");
    assertEquals(Main.EXIT_USAGE, gpu.status());
    List<String> lines = gpu.err().lines().toList();
    assertEquals(2, lines.size(), gpu.err());
    assertTrue(lines.get(0).startsWith("note: TensorFlow's GPU build runs on the CPU: "));
    assertTrue(lines.get(1).startsWith("error: "), gpu.err());
  }
}
