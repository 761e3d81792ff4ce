package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.testing.CpuNumerics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LoadTrainedModel}: the notebook's "Load a Trained Model" cell. */
@CpuNumerics
class LoadTrainedModelTest {

  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  @TempDir Path dir;

  @Test
  void measuresTheSavedModelAndReadsADirectoryAsItsLatestCheckpoint() throws Exception {
    String file = dir.resolve("train_model.ckpt").toString();
    SaveTrainedModel.run(
        SaveTrainedModel.Options.defaults().withFile(file).withEpochs(2).withSeed(3L), QUIET);

    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    LoadTrainedModel.Tested loaded =
        LoadTrainedModel.run(
            new LoadTrainedModel.Options(file, new EmbeddedMnist()),
            new PrintStream(printed, true, StandardCharsets.UTF_8));
    assertEquals(
        "Test Accuracy: " + MlpLesson.formatAccuracy(loaded.testAccuracy()) + "\n",
        printed.toString(StandardCharsets.UTF_8));
    LoadTrainedModel.Tested again =
        LoadTrainedModel.run(
            new LoadTrainedModel.Options(dir.toString(), new EmbeddedMnist()), QUIET);
    assertEquals(loaded.testAccuracy(), again.testAccuracy(), "the directory means its latest");
  }
}
