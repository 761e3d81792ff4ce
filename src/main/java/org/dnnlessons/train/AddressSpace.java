package org.dnnlessons.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The address space this process may still map under {@code ulimit -v} ({@code RLIMIT_AS}), read
 * from {@code /proc/self/limits} and {@code /proc/self/status}.
 *
 * <p>Under an address-space limit, memory is not the only thing that runs out: loading TensorFlow
 * maps its libraries (632 MB for {@code libtensorflow_cc.so.2}) and its threads' stacks and malloc
 * arenas, about {@link #TENSORFLOW_MAPPING} in all beside the JVM's own reservations (3 GB of
 * address space at {@code -Xmx512m}: the heap, 1 GiB of class space, code cache, stacks). Past the
 * limit the library fails to load ({@code UnsatisfiedLinkError: no jnitensorflow}) or TensorFlow
 * aborts the process with {@code std::bad_alloc}; counting it before loading turns both into one
 * line.
 */
public final class AddressSpace {

  /**
   * What loading TensorFlow and running a small graph maps beside the JVM: measured 0.47 GiB
   * ({@code evaluate} of the lesson's checkpoint, VmSize from 3.15 to 3.65 GB with {@code
   * -Xmx512m}), with room.
   */
  public static final long TENSORFLOW_MAPPING = 640L << 20;

  private AddressSpace() {}

  /**
   * Bytes of address space left for TensorFlow's tensors: the limit less what is mapped now, less
   * {@link #TENSORFLOW_MAPPING} while TensorFlow is not loaded; {@link Long#MAX_VALUE} without a
   * limit or off Linux.
   *
   * @return bytes, {@code >= 0} (0 when the limit is already reached); {@link Long#MAX_VALUE} when
   *     {@code ulimit -v} is unlimited or {@code /proc} cannot be read
   */
  public static long left() {
    try {
      long limit = limit(Files.readAllLines(Path.of("/proc/self/limits"), StandardCharsets.UTF_8));
      if (limit == Long.MAX_VALUE) {
        return Long.MAX_VALUE;
      }
      long mapped = 0;
      for (String line : Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("VmSize:")) {
          mapped = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
      long tensorFlow = tensorFlowLoaded() ? 0 : TENSORFLOW_MAPPING;
      return Math.max(0, limit - mapped - tensorFlow);
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE; // not Linux: no limit this class can read
    }
  }

  /** The soft limit of "Max address space" in bytes, {@link Long#MAX_VALUE} for unlimited. */
  static long limit(List<String> limits) {
    for (String line : limits) {
      if (line.startsWith("Max address space")) {
        String soft = line.substring("Max address space".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    return Long.MAX_VALUE;
  }

  /** True when TensorFlow's library is mapped into this process. */
  private static boolean tensorFlowLoaded() throws IOException {
    try (var lines = Files.lines(Path.of("/proc/self/maps"), StandardCharsets.ISO_8859_1)) {
      return lines.anyMatch(l -> l.endsWith("libtensorflow_cc.so.2"));
    }
  }
}
