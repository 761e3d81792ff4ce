package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The digits shipped in {@code data/mnist}: checksums as documented, splits as promised. */
class EmbeddedMnistTest {

  private static final Path DATA = Path.of("data", "mnist");

  @Test
  void filesMatchTheChecksumsInTheirReadme() throws IOException {
    String readme = Files.readString(DATA.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher m =
        Pattern.compile(
                "\\| `([a-z0-9-]+\\.gz)` \\| [0-9,]+ \\| ([0-9,]+) \\| `([0-9a-f]{64})` \\|")
            .matcher(readme);
    Map<String, String[]> documented = new LinkedHashMap<>();
    while (m.find()) {
      documented.put(m.group(1), new String[] {m.group(2).replace(",", ""), m.group(3)});
    }
    assertEquals(
        4, documented.size(), "the README documents the four files: " + documented.keySet());
    for (Map.Entry<String, String[]> e : documented.entrySet()) {
      Path file = DATA.resolve(e.getKey());
      assertEquals(Long.parseLong(e.getValue()[0]), Files.size(file), "size of " + file);
      assertEquals(e.getValue()[1], MnistDownloader.sha256(file), "SHA-256 of " + file);
    }
  }

  @Test
  void embeddedSetHas7000TrainAnd1000ValidationAnd2000TestWithEveryClass() throws IOException {
    MnistDataSets sets = MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults());
    assertEquals(7000, sets.train().numExamples());
    assertEquals(EmbeddedMnist.VALIDATION_SIZE, sets.validation().numExamples());
    assertEquals(2000, sets.test().numExamples());
    for (DataSet split : new DataSet[] {sets.train(), sets.validation(), sets.test()}) {
      for (int count : split.classHistogram()) {
        assertTrue(count > 50, "every class is well represented in every split");
      }
    }
    assertEquals(28, sets.test().imageRows());
  }

  @Test
  void theJarCopyEqualsTheRepositoryCopy() throws IOException {
    MnistDataSets fromJar =
        MnistDataSets.read(new EmbeddedMnist(), MnistDataSets.Options.defaults());
    MnistDataSets fromDir = MnistDataSets.read(DATA, MnistDataSets.Options.defaults());
    assertEquals(fromDir.test().numExamples(), fromJar.test().numExamples());
    for (int i = 0; i < fromDir.test().numExamples(); i += 97) {
      assertEquals(fromDir.test().label(i), fromJar.test().label(i));
      assertEquals(fromDir.test().pixel(i, 14, 14), fromJar.test().pixel(i, 14, 14));
    }
  }
}
