package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.dnnlessons.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One byte budget per HDF5 file: files h5py writes ({@code make_fuzz_seeds.py --budget}) whose
 * datasets are each small, and the file too, but together more than a quarter of the heap, are
 * refused in one line naming the file and the budget, by every HDF5 reading path, in a JVM of
 * {@code -Xmx128m} (a budget of about 30 MiB): a {@code .weights.h5} whose 64 layers hard-link one
 * 1 MiB kernel (read layer by layer), the same as a Keras 2 weights file and inside a {@code
 * .keras} archive (read by its config), and 24 distinct deflated 2 MiB datasets (48 MiB from a file
 * of ~200 KiB, read by {@code inspect --all} and layer by layer). {@code inspect --all} reads each
 * linked object once, so the linked files are within its budget.
 */
class HdfByteBudgetIT {

  @TempDir Path dir;

  @Test
  void datasetsTogetherBeyondOneBudgetPerFileAreRefusedInOneLine() throws Exception {
    PythonTensorFlow.output(Map.of(), "make_fuzz_seeds.py", "--budget", dir.toString());
    String[] files = {"links.weights.h5", "links_keras2.h5", "links.keras", "deflated.weights.h5"};
    String[] command =
        new String[] {
          "-Xmx128m",
          "-XX:+ExitOnOutOfMemoryError",
          "-cp",
          System.getProperty("java.class.path"),
          BudgetReads.class.getName()
        };
    java.util.List<String> args = new java.util.ArrayList<>(ChildJvm.command(command));
    for (String f : files) {
      args.add(dir.resolve(f).toString());
    }
    Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
    assertEquals(0, p.exitValue(), out);
    for (String f : files) {
      assertBudgetRefusal(out, "read " + f + ": ", dir.resolve(f));
    }
    assertBudgetRefusal(out, "inspect deflated.weights.h5: 1 ", dir.resolve("deflated.weights.h5"));
    for (String f : new String[] {"links.weights.h5", "links_keras2.h5", "links.keras"}) {
      assertTrue(out.contains("inspect " + f + ": 0 "), out);
    }
  }

  private static void assertBudgetRefusal(String out, String prefix, Path file) {
    String line =
        out.lines()
            .filter(l -> l.startsWith(prefix))
            .findFirst()
            .orElse("(no line " + prefix + ")");
    assertTrue(line.contains(file.toString()), line + "\n" + out);
    assertTrue(line.contains(": its datasets hold more than the "), line + "\n" + out);
    assertTrue(line.contains(" this reader accepts from one file with a heap of "), line);
    assertTrue(line.length() < 400, line);
  }
}
