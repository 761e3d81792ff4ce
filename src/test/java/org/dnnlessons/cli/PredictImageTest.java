package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.dnnlessons.data.DataSet;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.serve.MlpServedModel;
import org.dnnlessons.serve.ModelServerTestAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict --image} and {@code predict --images DIR --out FILE.csv}: MNIST test digits drawn
 * 10 times larger, dark on light, are predicted as the network predicts the originals.
 */
class PredictImageTest {

  @TempDir Path dir;

  @Test
  void picturesOfMnistDigitsArePredictedAsTheOriginalsAndABadFileIsNamed() throws Exception {
    String prefix = dir.resolve("run/model.ckpt").toString();
    CliRun train =
        CliRun.of(
            "train",
            "--hidden",
            "64",
            "--epochs",
            "2",
            "--learning-rate",
            "0.5",
            "--init-stddev",
            "0.1",
            "--seed",
            "1",
            "--save",
            prefix);
    assertEquals(0, train.status(), train.err());
    DataSet test =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false))
            .test();
    int n = 40;
    Path pictures = Files.createDirectories(dir.resolve("pictures"));
    float[][] originals = new float[n][784];
    for (int i = 0; i < n; i++) {
      BufferedImage big = new BufferedImage(280, 280, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 280; y++) {
        for (int x = 0; x < 280; x++) {
          big.getRaster().setSample(x, y, 0, 255 - test.pixel(i, y / 10, x / 10));
        }
      }
      ImageIO.write(
          big, "png", pictures.resolve(String.format(Locale.ROOT, "%03d.png", i)).toFile());
      for (int p = 0; p < 784; p++) {
        originals[i][p] = test.pixel(i, p / 28, p % 28) / 255f;
      }
    }
    Files.writeString(pictures.resolve("broken.png"), "not a picture");
    Files.writeString(pictures.resolve("notes.txt"), "skipped: not a picture ending");
    int[] expected = new int[n];
    try (MlpServedModel model = MlpServedModel.load(dir.resolve("run"), 1)) {
      float[][] p = model.predict(originals);
      for (int i = 0; i < n; i++) {
        expected[i] = ModelServerTestAccess.argmax(p[i]);
      }
    }

    Path csv = dir.resolve("predictions.csv");
    CliRun folder =
        CliRun.of(
            "predict",
            "--checkpoint",
            dir.resolve("run").toString(),
            "--images",
            pictures.toString(),
            "--out",
            csv.toString());
    assertEquals(1, folder.status(), "a picture could not be read: " + folder.out());
    assertTrue(
        folder.err().contains("broken.png") && folder.err().contains("not a picture"),
        folder.err());
    assertTrue(folder.out().contains("Predicted " + n + " pictures into " + csv), folder.out());
    List<String> lines = Files.readAllLines(csv);
    assertEquals("file,predicted,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9", lines.get(0));
    assertEquals(n + 1, lines.size());
    int agree = 0;
    for (int i = 0; i < n; i++) {
      String[] cells = lines.get(i + 1).split(",");
      assertEquals(String.format(Locale.ROOT, "%03d.png", i), cells[0]);
      assertEquals(12, cells.length);
      if (Integer.parseInt(cells[1]) == expected[i]) {
        agree++;
      }
    }
    // the pictures come back as the originals up to resampling rounding (DigitImageTest)
    assertEquals(n, agree, "predictions agreeing with the originals'");

    CliRun one =
        CliRun.of(
            "predict",
            "--checkpoint",
            dir.resolve("run").toString(),
            "--image",
            pictures.resolve("000.png").toString());
    assertEquals(0, one.status(), one.err());
    assertTrue(one.out().contains("Predicted: " + expected[0]), one.out());
    assertTrue(one.out().contains("@@"), "the 28x28 drawn: " + one.out());

    CliRun none = CliRun.of("predict", "--checkpoint", dir.resolve("run").toString());
    assertEquals(Main.EXIT_USAGE, none.status());
    assertTrue(none.err().contains("give one of --index, --image or --images"), none.err());
  }
}
