package org.dnnlessons.serve;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.dnnlessons.data.DigitImage;
import org.dnnlessons.files.FilePublisher;

/**
 * Predictions for people's pictures of digits ({@code predict --image}, {@code predict --images}):
 * each picture made an MNIST image by {@link DigitImage}, as the drawing page's are.
 */
public final class DigitPredictions {

  /** The file name endings read from a folder (case ignored). */
  public static final List<String> PICTURE_ENDINGS =
      List.of(".png", ".jpg", ".jpeg", ".gif", ".bmp");

  private final ServedModel model;

  /**
   * Predictions by {@code model} (not closed here).
   *
   * @param model the model to predict with; the caller keeps owning it
   */
  public DigitPredictions(ServedModel model) {
    this.model = model;
  }

  /**
   * The ten probabilities for one preprocessed image of 784 pixels.
   *
   * @param pixels 784 float32 values, row-major 28x28, scaled as the lesson feeds them (pixels/255,
   *     0 to 1)
   * @return the softmax's ten probabilities, {@code [10]} float32, for the digits 0 to 9
   */
  public float[] predict(float[] pixels) {
    return model.predict(new float[][] {pixels})[0];
  }

  /**
   * What {@link #predictFolder} did.
   *
   * @param predicted pictures predicted and written
   * @param problems one line for each picture that could not be read (file and reason)
   */
  public record Folder(int predicted, List<String> problems) {}

  /**
   * Predicts every picture in {@code dir} (not its subfolders; files ending as {@link
   * #PICTURE_ENDINGS}, in name order) and writes {@code csv}: a header {@code
   * file,predicted,p0,...,p9}, then one row per picture read. A picture that cannot be read is
   * reported, not written; the CSV is published whole (temporary file, then rename).
   *
   * @param dir the folder of pictures; its subfolders are not read
   * @param csv the CSV file to write; replaced when it exists
   * @return how many pictures were predicted and one line per picture that could not be read
   * @throws IOException when the folder cannot be listed or the CSV cannot be written
   */
  public Folder predictFolder(Path dir, Path csv) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(Files::isRegularFile)
              .filter(
                  p -> {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    return PICTURE_ENDINGS.stream().anyMatch(n::endsWith);
                  })
              .sorted()
              .toList();
    }
    List<String> problems = new ArrayList<>();
    int[] predicted = {0};
    FilePublisher.publish(
        csv,
        out -> {
          Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
          w.write("file,predicted");
          for (int c = 0; c < ServedModel.CLASSES; c++) {
            w.write(",p" + c);
          }
          w.write("\n");
          for (Path f : files) {
            float[] pixels;
            try {
              pixels = DigitImage.read(f);
            } catch (IOException e) {
              problems.add(e.getMessage());
              continue;
            }
            float[] p = predict(pixels);
            w.write(csvField(f.getFileName().toString()) + "," + ModelServer.argmax(p));
            for (float v : p) {
              w.write("," + v);
            }
            w.write("\n");
            predicted[0]++;
          }
          w.flush();
        });
    return new Folder(predicted[0], List.copyOf(problems));
  }

  private static String csvField(String s) {
    return s.matches("[^\",\\r\\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
  }
}
