package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.dnnlessons.cli.Main;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;

/**
 * {@code lesson relu} prints exactly what the notebook's cell prints under Python TensorFlow 2.21
 * on the same machine ({@code relu_quiz.py}): the last digits follow the CPU's matrix-multiply
 * kernel (run with {@code ONEDNN_MAX_CPU_ISA=SSE41} or {@code AVX2} to see others), and both
 * languages get the same ones. Exact equality is honest here because both sides run now, here.
 */
@CpuNumerics
class ReluLessonIT {

  @Test
  void reluLessonPrintsExactlyWhatPythonPrintsOnThisMachine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Main.execute(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            "lesson",
            "relu");
    assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
    String python = PythonTensorFlow.output(Map.of(), "relu_quiz.py");
    assertEquals(
        python,
        out.toString(StandardCharsets.UTF_8),
        "ONEDNN_MAX_CPU_ISA=" + System.getenv("ONEDNN_MAX_CPU_ISA"));
  }

  @Test
  void pythonRunsWithTheJvmsOnednnIsa() throws Exception {
    String isa = System.getenv("ONEDNN_MAX_CPU_ISA");
    assertEquals(
        isa == null ? "-" : isa,
        PythonTensorFlow.run("environment.py").get("ONEDNN_MAX_CPU_ISA"),
        "ONEDNN_MAX_CPU_ISA as Python sees it");
  }
}
