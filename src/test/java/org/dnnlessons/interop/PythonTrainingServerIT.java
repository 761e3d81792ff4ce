package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.dnnlessons.bench.PythonTrainingServer;
import org.junit.jupiter.api.Test;

/** The benchmark's Python training loop, served by real Python TensorFlow. */
class PythonTrainingServerIT {

  @Test
  void answersEachRequestWithTheSecondsItsStepsTook() throws Exception {
    try (PythonTrainingServer server =
        PythonTrainingServer.start(PythonTensorFlow.python(), Path.of("data", "mnist"))) {
      // the first request of a batch size builds its graph and session (seconds on a busy
      // machine), so the comparison below is made between warm requests only
      server.train(128, 5);
      double few = server.train(128, 5);
      double more = server.train(128, 400);
      double otherBatch = server.train(32, 5);
      assertTrue(few > 0 && otherBatch > 0, few + " " + otherBatch);
      // 80 times the steps: even on a loaded machine the longer request takes longer
      assertTrue(more > few, "400 steps took " + more + " s, 5 steps " + few + " s");
    }
  }

  @Test
  void aMissingInterpreterIsNamed() {
    Path missing = Path.of("/nonexistent/python3");
    IOException e =
        assertThrows(
            IOException.class, () -> PythonTrainingServer.start(missing, Path.of("data", "mnist")));
    assertTrue(e.getMessage().startsWith(missing + ": cannot start"), e.getMessage());
  }

  @Test
  void aFailingScriptReportsItsLastErrorLine() {
    IOException e =
        assertThrows(
            IOException.class,
            () ->
                PythonTrainingServer.start(
                    PythonTensorFlow.python(), Path.of("no", "such", "data")));
    assertTrue(
        e.getMessage().contains("--serve: expected 'ready...', got end of output"), e.getMessage());
    assertTrue(e.getMessage().contains("No such file"), e.getMessage());
  }
}
