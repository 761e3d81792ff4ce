package org.dnnlessons.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.train.SavedModelExport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * {@code serve --model SAVEDMODEL} runs the SavedModel's own {@code serving_default} signature and
 * answers what the same weights answer as a checkpoint.
 */
class SavedModelServedModelTest {

  /** The project's float32 tolerance (softmax here in double from the signature's logits). */
  private static final float EPSILON = 1e-5f;

  @TempDir Path dir;

  @Test
  void aSavedModelServesTheSameProbabilitiesAsItsCheckpoint() throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(16)).withGraphSeed(5L));
      try (Session session = net.model().newSession();
          Saver saver = Saver.builder(graph).build()) {
        session.runner().addTarget(net.model().globalVariablesInitializer()).run();
        saver.save(session, dir.resolve("run/model.ckpt").toString(), 30);
        SavedModelExport.export(session, net, saver, dir.resolve("exported"));
      }
    }
    float[][] images = new float[2][ServedModel.PIXELS];
    for (int p = 0; p < ServedModel.PIXELS; p++) {
      images[0][p] = (p % 9) / 8f;
      images[1][p] = (p % 4) / 3f;
    }
    try (ServedModel saved = ModelLoaders.load(dir.resolve("exported"), 1);
        ServedModel checkpoint = ModelLoaders.load(dir.resolve("run"), 30)) {
      assertEquals(SavedModelServedModel.class, saved.getClass());
      assertEquals(MlpServedModel.class, checkpoint.getClass());
      float[][] a = saved.predict(images);
      float[][] b = checkpoint.predict(images);
      for (int i = 0; i < images.length; i++) {
        assertArrayEquals(b[i], a[i], EPSILON);
      }
    }
  }
}
