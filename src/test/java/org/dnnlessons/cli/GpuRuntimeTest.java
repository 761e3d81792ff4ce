package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link GpuRuntime}'s decision, on made-up file systems and class paths. */
class GpuRuntimeTest {

  @TempDir Path root;

  @Test
  void theGpuIsUnusedWithoutADriverOrWithoutADevice() {
    assertEquals(
        Optional.of("no NVIDIA driver found (libcuda.so.1)"),
        GpuRuntime.unusedBecause(false, false));
    assertEquals(
        Optional.of("no NVIDIA driver found (libcuda.so.1)"),
        GpuRuntime.unusedBecause(false, true));
    assertEquals(
        Optional.of("no NVIDIA GPU found (no /dev/nvidia* device)"),
        GpuRuntime.unusedBecause(true, false));
    assertEquals(Optional.empty(), GpuRuntime.unusedBecause(true, true));
    assertEquals(
        "note: TensorFlow's GPU build runs on the CPU: no NVIDIA driver found (libcuda.so.1)",
        GpuRuntime.note(GpuRuntime.unusedBecause(false, false).orElseThrow()));
  }

  @Test
  void theDriverIsFoundWhereTheDynamicLinkerLooks() throws IOException {
    assertFalse(GpuRuntime.driverFound(root, null));
    assertFalse(GpuRuntime.driverFound(root, ""));
    // CUDA's toolkit without the driver (this machine: /usr/local/cuda-13.0/lib)
    Files.createDirectories(root.resolve("usr/local/cuda/lib"));
    Files.createFile(root.resolve("usr/local/cuda/lib/libcudart.so.13"));
    Files.createDirectories(root.resolve("etc"));
    Files.write(
        root.resolve("etc/ld.so.cache"),
        "ld.so-1.7.0\0libcudart.so.13\0libcuda.so\0/usr/lib/libcuda.so\0"
            .getBytes(StandardCharsets.US_ASCII));
    assertFalse(GpuRuntime.driverFound(root, "/usr/local/cuda/lib"));
    // LD_LIBRARY_PATH
    Files.createFile(root.resolve("usr/local/cuda/lib/libcuda.so.1"));
    assertTrue(GpuRuntime.driverFound(root, "/opt:/usr/local/cuda/lib"));
    assertFalse(GpuRuntime.driverFound(root, null));
    // the linker's cache
    Files.write(
        root.resolve("etc/ld.so.cache"),
        "ld.so-1.7.0\0libcuda.so.1\0/usr/lib/x86_64-linux-gnu/libcuda.so.1\0"
            .getBytes(StandardCharsets.US_ASCII));
    assertTrue(GpuRuntime.driverFound(root, null));
    // a default folder
    Files.delete(root.resolve("etc/ld.so.cache"));
    Files.createDirectories(root.resolve("usr/lib/x86_64-linux-gnu"));
    Files.createFile(root.resolve("usr/lib/x86_64-linux-gnu/libcuda.so.1"));
    assertTrue(GpuRuntime.driverFound(root, null));
  }

  @Test
  void aDeviceIsANvidiaNodeOrWslsGpu() throws IOException {
    Path dev = Files.createDirectories(root.resolve("dev"));
    assertFalse(GpuRuntime.deviceFound(dev));
    Files.createFile(dev.resolve("nvidia-uvm"));
    Files.createFile(dev.resolve("nvidia-caps"));
    assertFalse(GpuRuntime.deviceFound(dev));
    Files.createFile(dev.resolve("nvidia0"));
    assertTrue(GpuRuntime.deviceFound(dev));
    for (String node : List.of("nvidiactl", "dxg")) {
      Path other = Files.createDirectories(root.resolve("dev-" + node));
      Files.createFile(other.resolve(node));
      assertTrue(GpuRuntime.deviceFound(other), node);
    }
    assertFalse(GpuRuntime.deviceFound(root.resolve("no-such-dir")));
  }

  @Test
  void theGpuBuildIsKnownByItsNativeJarOnTheClassPath() {
    String lib = "/home/u/.m2/repository/org/tensorflow/tensorflow-core-native/1.1.0/";
    // java -cp (mvn -Pgpu dependency:build-classpath)
    assertTrue(
        GpuRuntime.gpuBuild(
            "target/classes:" + lib + "tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar", null));
    assertFalse(
        GpuRuntime.gpuBuild(
            "target/classes:"
                + lib
                + "tensorflow-core-native-1.1.0.jar:"
                + lib
                + "tensorflow-core-native-1.1.0-linux-x86_64.jar",
            null));
    // java -jar target/dnn-lessons.jar: the jar's manifest names target/lib's jars
    String manifest = "lib/picocli-4.7.7.jar lib/tensorflow-core-native-1.1.0.jar lib/jhdf.jar";
    assertFalse(GpuRuntime.gpuBuild("target/dnn-lessons.jar", manifest));
    assertTrue(
        GpuRuntime.gpuBuild(
            "target/dnn-lessons.jar",
            manifest + " lib/tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar"));
    assertFalse(GpuRuntime.gpuBuild("", null));
    // this test's own JVM: the CPU build
    assertFalse(GpuRuntime.gpuBuild());
  }

  @Test
  void theChildIsStartedAsThisJvmWas() {
    assertEquals(
        List.of("-jar", "target/dnn-lessons.jar"),
        CudaLessLaunch.launch("target/dnn-lessons.jar", "target/dnn-lessons.jar lesson mlp"));
    assertEquals(
        List.of("-cp", "a.jar:b.jar", "org.dnnlessons.cli.Main"),
        CudaLessLaunch.launch("a.jar:b.jar", "org.dnnlessons.cli.Main lesson mlp"));
    assertEquals(
        List.of("-cp", "x.jar", "org.dnnlessons.cli.Main"),
        CudaLessLaunch.launch("x.jar", "org.dnnlessons.cli.Main"));
  }
}
