package org.dnnlessons.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dnn-lessons export}: its --out target is checked before anything is read or written. */
class ExportCommandTest {

  @TempDir Path dir;

  private CliRun export(String out) {
    // the checkpoint does not exist: the target's error must come first
    return CliRun.of(
        "export",
        "--format",
        "keras",
        "--checkpoint",
        dir.resolve("none").toString(),
        "--out",
        out);
  }

  @Test
  void badOutTargetsAreOneLineNamingTheOption() throws Exception {
    // was: --out "" aimed the rename at the working directory ("error: /x/.kr123.tmp -> /x/kr: Is
    // a directory"), a parent that is a file "error: /x/afile: already exists"
    CliRun empty = export("");
    assertEquals(Main.EXIT_USAGE, empty.status(), empty.err());
    assertTrue(empty.err().startsWith("error: --out: the path is empty"), empty.err());
    Path file = Files.writeString(dir.resolve("afile"), "keep");
    CliRun underFile = export(file.resolve("m.keras").toString());
    assertEquals(Main.EXIT_USAGE, underFile.status(), underFile.err());
    assertTrue(
        underFile.err().contains("--out " + file.resolve("m.keras") + ": " + file + " is a file"),
        underFile.err());
    assertEquals("keep", Files.readString(file));
    Path emptyDir = Files.createDirectory(dir.resolve("out"));
    CliRun toDir = export(emptyDir.toString());
    assertEquals(Main.EXIT_USAGE, toDir.status(), toDir.err());
    // the message ends there: it once suggested "curve.png" for every option
    assertTrue(
        toDir
            .err()
            .startsWith("error: --out " + emptyDir + ": is a directory; expected a file name ("),
        toDir.err());
    assertTrue(Files.isDirectory(emptyDir));
    for (CliRun r : new CliRun[] {empty, underFile, toDir}) {
      assertEquals(1, r.err().strip().lines().count(), r.err());
    }
  }

  @Test
  void anExistingOutIsReplacedOnlyWithOverwrite() throws Exception {
    Path existing = Files.writeString(dir.resolve("model.keras"), "an earlier export");
    CliRun refused = export(existing.toString());
    assertEquals(Main.EXIT_USAGE, refused.status(), refused.err());
    assertEquals(
        "error: --out "
            + existing
            + " already exists; --overwrite replaces it (see"
            + " 'dnn-lessons export --help')",
        refused.err().strip());
    assertEquals("an earlier export", Files.readString(existing));
    // with --overwrite the command goes on (to the missing checkpoint here)
    CliRun allowed =
        CliRun.of(
            "export",
            "--format",
            "keras",
            "--checkpoint",
            dir.resolve("none").toString(),
            "--out",
            existing.toString(),
            "--overwrite");
    assertEquals(Main.EXIT_FAILURE, allowed.status(), allowed.err());
    assertTrue(!allowed.err().contains("already exists"), allowed.err());
  }
}
