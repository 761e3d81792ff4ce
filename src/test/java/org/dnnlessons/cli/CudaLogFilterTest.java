package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link CudaLogFilter} on TensorFlow's real standard error: {@code lesson mlp} on this project's
 * GPU build ({@code -Pgpu}) and on its CPU build, on a machine without CUDA (captured 2026-12-07).
 */
class CudaLogFilterTest {

  private static String resource(String name) throws IOException {
    try (InputStream in = CudaLogFilterTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String filter(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CudaLessLaunch.copyFiltered(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A log line's time and thread differ from run to run. */
  static List<String> normalized(String text) {
    return text.lines()
        .map(l -> l.replaceFirst("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+:", "TIME:"))
        .map(l -> l.replaceFirst("^([IWEF])\\d{4} \\d\\d:\\d\\d:\\d+\\.\\d+ +\\d+ ", "$1 TIME "))
        .toList();
  }

  @Test
  void theGpuBuildsStandardErrorBecomesTheCpuBuilds() throws IOException {
    String gpu = resource("gpu-build-stderr.txt");
    String cpu = resource("cpu-build-stderr.txt");
    // what is left out: two "Could not find cuda drivers", cuFFT, cuDNN, cuBLAS, cuInit
    assertEquals(12, gpu.lines().count());
    assertEquals(normalized(cpu), normalized(filter(gpu)));
  }

  @Test
  void theSameWhateverTheChildsWritesAreCutInto() throws IOException {
    byte[] gpu = resource("gpu-build-stderr.txt").getBytes(StandardCharsets.UTF_8);
    String whole = filter(new String(gpu, StandardCharsets.UTF_8));
    for (int chunk : new int[] {1, 2, 7, 64}) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (CudaLogFilter f = new CudaLogFilter(out)) {
        for (int i = 0; i < gpu.length; i += chunk) {
          f.write(gpu, i, Math.min(chunk, gpu.length - i));
        }
      }
      assertEquals(whole, out.toString(StandardCharsets.UTF_8), "chunks of " + chunk);
    }
  }

  @Test
  void otherLinesPassByteForByteAndOtherErrorsStay() {
    String text =
        "Epoch: 0001 cost= 1.5 validation accuracy= 0.5\n"
            + "2026-12-07 07:29:37.322943: E tensorflow/core/framework/op_kernel.cc:1828]"
            + " OP_REQUIRES failed\n"
            + "E0000 00:00:1796628576.771184   15557 cuda_dnn.cc:8310] Unable to register\n"
            + "error: model.ckpt: not found (see 'dnn-lessons train --help')\n"
            + "2026-12-07 is the day\n"
            + "ünïcode \u2713\n"
            + "last line without its end";
    assertEquals(
        "Epoch: 0001 cost= 1.5 validation accuracy= 0.5\n"
            + "2026-12-07 07:29:37.322943: E tensorflow/core/framework/op_kernel.cc:1828]"
            + " OP_REQUIRES failed\n"
            + "error: model.ckpt: not found (see 'dnn-lessons train --help')\n"
            + "2026-12-07 is the day\n"
            + "ünïcode \u2713\n"
            + "last line without its end",
        filter(text));
  }

  @Test
  void aProgressBarsUpdatePassesBeforeItsLineEnds() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CudaLogFilter f = new CudaLogFilter(out);
    byte[] update = "\rEpoch 3/20 [=====>      ] 25%\n".getBytes(StandardCharsets.UTF_8);
    f.write(update, 0, update.length);
    assertArrayEquals(update, out.toByteArray());
    // a line that may still become a log line is held only while it may
    byte[] head = "2026-12-07 07:29".getBytes(StandardCharsets.UTF_8);
    f.write(head, 0, head.length);
    assertArrayEquals(update, out.toByteArray());
    f.write('!');
    assertEquals(
        "\rEpoch 3/20 [=====>      ] 25%\n2026-12-07 07:29!", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void anAbseilPreambleNoKeptLineFollowsIsLeftOut() {
    assertEquals(
        "done\n",
        filter(
            CudaLogFilter.ABSL_PREAMBLE
                + "\nE0000 00:00:1796628576.782646   15557 cuda_blas.cc:1418] Unable to register"
                + " cuBLAS factory\ndone\n"));
  }

  @Test
  void aLineLongerThanAnyLogLinePasses() {
    String log = "2026-12-07 07:29:37.322943: E x/cuda_driver.cc:152] ";
    String longLine = log + "x".repeat(CudaLogFilter.MAX_LOG_LINE) + "\n";
    assertEquals(longLine, filter(longLine));
    assertEquals("", filter(log + "failed call to cuInit\n"));
  }
}
