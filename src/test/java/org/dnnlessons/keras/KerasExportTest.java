package org.dnnlessons.keras;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.nn.ModelDescription;
import org.dnnlessons.testing.LessonWeights;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link KerasExport} refuses to write rather than write a file Keras reads differently. */
class KerasExportTest {

  @Test
  void aWeightsFileOfANormalizationModelIsRefusedNotWrittenWithoutItsStatistics(@TempDir Path dir)
      throws Exception {
    MlpWeights plain = LessonWeights.of(8);
    float[] mean = new float[784];
    float[] variance = new float[784];
    Arrays.fill(variance, 1f);
    List<ModelDescription.Layer> layers = new ArrayList<>();
    layers.add(new ModelDescription.Normalization("normalization", mean, variance));
    layers.addAll(plain.model().layers());
    MlpWeights normalized =
        new MlpWeights(
            plain.source(),
            plain.format(),
            new ModelDescription(1.0, layers),
            plain.tensors(),
            plain.sourceNames(),
            List.of());
    Path out = dir.resolve("m.weights.h5");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> KerasExport.write(normalized, out, KerasExport.Format.WEIGHTS_H5));
    assertTrue(e.getMessage().contains("Normalization"), e.getMessage());
    assertFalse(Files.exists(out));
    // the archive carries the statistics in its config, and the plain model's weights file is fine
    KerasExport.write(normalized, dir.resolve("m.keras"), KerasExport.Format.KERAS);
    KerasExport.write(plain, out, KerasExport.Format.WEIGHTS_H5);
    assertTrue(Files.size(out) > 0);
  }
}
