package org.dnnlessons.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Whether TensorFlow's GPU build ({@code tensorflow-core-native}, classifier {@code
 * linux-x86_64-gpu}: {@code mvn -Pgpu}) is the native runtime on the class path, and whether this
 * machine gives it a GPU: an NVIDIA driver ({@code libcuda.so.1}) and a device node ({@code
 * /dev/nvidia*}, or WSL's {@code /dev/dxg}).
 *
 * <p>Without both, TensorFlow's GPU build runs on the CPU with the same numbers as the CPU build,
 * but its CUDA support logs while the library loads ("Could not find cuda drivers", "Unable to
 * register cuDNN factory", ..., "failed call to cuInit"): six lines, four of them errors, that the
 * user did not cause and cannot act on. {@code TF_CPP_MIN_LOG_LEVEL=3} hides only some of them (the
 * cuDNN and cuBLAS lines are written by Abseil's log before {@code absl::InitializeLog()}, which no
 * environment variable governs: tensorflow/tensorflow#100442), so the CLI says the one thing that
 * matters instead and leaves those lines out ({@link CudaLessLaunch}).
 */
final class GpuRuntime {

  /** The NVIDIA driver's user-space library, as TensorFlow's CUDA stub opens it. */
  static final String DRIVER_LIBRARY = "libcuda.so.1";

  /** Folders the dynamic linker searches by default on the Linux distributions CUDA supports. */
  private static final List<String> DEFAULT_LIBRARY_DIRS =
      List.of(
          "lib/x86_64-linux-gnu",
          "usr/lib/x86_64-linux-gnu",
          "lib64",
          "usr/lib64",
          "lib",
          "usr/lib",
          "usr/local/nvidia/lib64",
          "usr/lib/wsl/lib");

  private GpuRuntime() {}

  /**
   * Whether the native runtime on this JVM's class path is TensorFlow's GPU build: the class path
   * ({@code java.class.path}) and, when it starts with a jar ({@code java -jar}), that jar's
   * manifest {@code Class-Path} name the GPU build's native jar. Costs a few milliseconds (one
   * manifest read, no regular expression); a class loader's lookup of a resource would open every
   * jar on the class path (16 to 56 ms measured).
   */
  static boolean gpuBuild() {
    String classPath = System.getProperty("java.class.path", "");
    String first = classPath.split(File.pathSeparator, 2)[0];
    String manifestClassPath = null;
    if (first.endsWith(".jar")) {
      try (JarFile jar = new JarFile(first)) {
        Manifest manifest = jar.getManifest();
        manifestClassPath =
            manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
      } catch (IOException | RuntimeException e) {
        manifestClassPath = null;
      }
    }
    return gpuBuild(classPath, manifestClassPath);
  }

  /**
   * Whether a class path names the GPU build's native jar.
   *
   * @param classPath entries separated by {@link java.io.File#pathSeparator}
   * @param manifestClassPath the first jar's manifest {@code Class-Path} (relative URLs separated
   *     by spaces), or null
   */
  static boolean gpuBuild(String classPath, String manifestClassPath) {
    for (String entry : classPath.split(File.pathSeparator)) {
      if (gpuNativeJar(entry)) {
        return true;
      }
    }
    if (manifestClassPath != null) {
      for (String entry : manifestClassPath.split(" ")) {
        if (gpuNativeJar(entry)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Whether a path or URL names the GPU build's native jar, {@code
   * tensorflow-core-native-1.1.0-linux-x86_64-gpu.jar} (the CPU build's ends in {@code
   * linux-x86_64.jar}). Plain string tests: the CPU build's start loads no regular expressions for
   * this.
   */
  static boolean gpuNativeJar(String entry) {
    String name = entry.substring(entry.lastIndexOf('/') + 1).strip();
    return name.startsWith("tensorflow-core-native-") && name.endsWith("-gpu.jar");
  }

  /**
   * Why the GPU is not used here, or empty when a driver and a device are found (then TensorFlow
   * decides, and says what it found).
   *
   * @param driverFound whether {@value #DRIVER_LIBRARY} is installed
   * @param deviceFound whether a GPU device node exists
   */
  static Optional<String> unusedBecause(boolean driverFound, boolean deviceFound) {
    if (!driverFound) {
      return Optional.of("no NVIDIA driver found (" + DRIVER_LIBRARY + ")");
    }
    if (!deviceFound) {
      return Optional.of("no NVIDIA GPU found (no /dev/nvidia* device)");
    }
    return Optional.empty();
  }

  /** Why the GPU is not used on this machine ({@code /}), or empty when it may be. */
  static Optional<String> unusedBecause() {
    Path root = Path.of("/");
    return unusedBecause(
        driverFound(root, System.getenv("LD_LIBRARY_PATH")), deviceFound(root.resolve("dev")));
  }

  /** The one line the CLI prints for {@code reason}. */
  static String note(String reason) {
    return "note: TensorFlow's GPU build runs on the CPU: " + reason;
  }

  /**
   * Whether {@value #DRIVER_LIBRARY} is where the dynamic linker finds it: a folder of {@code
   * LD_LIBRARY_PATH}, the linker's cache ({@code /etc/ld.so.cache}, which {@code ldconfig} builds
   * from {@code /etc/ld.so.conf.d}), or a default folder.
   *
   * @param root the file system's root ({@code /}; a test's folder)
   * @param ldLibraryPath the environment's {@code LD_LIBRARY_PATH}, or null
   */
  static boolean driverFound(Path root, String ldLibraryPath) {
    List<Path> dirs = new ArrayList<>();
    if (ldLibraryPath != null) {
      for (String dir : ldLibraryPath.split(":")) {
        if (!dir.isEmpty()) {
          dirs.add(root.resolve(dir.startsWith("/") ? dir.substring(1) : dir));
        }
      }
    }
    DEFAULT_LIBRARY_DIRS.forEach(d -> dirs.add(root.resolve(d)));
    for (Path dir : dirs) {
      if (Files.exists(dir.resolve(DRIVER_LIBRARY))) {
        return true;
      }
    }
    return linkerCacheNames(root.resolve("etc/ld.so.cache"), DRIVER_LIBRARY);
  }

  /** Whether the linker's cache names {@code library} (its names are NUL-terminated strings). */
  private static boolean linkerCacheNames(Path cache, String library) {
    byte[] name = (library + "\0").getBytes(StandardCharsets.US_ASCII);
    // the cache is a few hundred KB: at most 16 MB of it is read
    try (InputStream in =
        BoundedInputStream.builder()
            .setInputStream(Files.newInputStream(cache))
            .setMaxCount(16L << 20)
            .get()) {
      byte[] bytes = in.readAllBytes();
      outer:
      for (int i = 0; i + name.length <= bytes.length; i++) {
        for (int j = 0; j < name.length; j++) {
          if (bytes[i + j] != name[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Whether a GPU device node exists: {@code nvidiactl} or {@code nvidia0}, {@code nvidia1}, ...
   * (the NVIDIA driver's), or {@code dxg} (WSL 2's GPU).
   *
   * @param dev the device folder ({@code /dev}; a test's folder)
   */
  static boolean deviceFound(Path dev) {
    if (Files.exists(dev.resolve("nvidiactl")) || Files.exists(dev.resolve("dxg"))) {
      return true;
    }
    try (var entries = Files.list(dev)) {
      return entries.anyMatch(p -> p.getFileName().toString().matches("nvidia[0-9]+"));
    } catch (IOException e) {
      return false;
    }
  }
}
