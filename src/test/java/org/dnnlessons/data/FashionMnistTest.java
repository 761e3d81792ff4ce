package org.dnnlessons.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Full Fashion-MNIST from Debian's {@code dataset-fashion-mnist}. {@code .ci/run} installs it; on a
 * machine without it this test fails and says how to install it (it is never skipped).
 */
class FashionMnistTest {

  @Test
  void readsFullFashionMnistFromTheDebianPackage() throws IOException {
    Path dir = Path.of(DatasetCatalog.FASHION_MNIST_DIR);
    assertTrue(
        Files.isDirectory(dir),
        DatasetCatalog.FASHION_MNIST_DIR
            + " is missing: run 'apt-get install dataset-fashion-mnist' (as .ci/run does)");
    MnistDataSets sets =
        MnistDataSets.read(DatasetCatalog.FASHION_MNIST.locate(), MnistDataSets.Options.defaults());
    assertEquals(55_000, sets.train().numExamples());
    assertEquals(5_000, sets.validation().numExamples());
    assertEquals(10_000, sets.test().numExamples());
    // Fashion-MNIST is balanced: 1,000 test images per class
    for (int count : sets.test().classHistogram()) {
      assertEquals(1000, count);
    }
  }
}
