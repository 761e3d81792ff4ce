package org.dnnlessons.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The temporaries earlier versions left when killed ({@code .NAME<digits>.tmp}, {@code .png},
 * {@code .DIR.tmp<digits>/}, {@code /tmp/dnn-lessons-export<digits>.weights.h5}) are deleted by the
 * next publish once stale, and never one a live writer holds open, one touched lately, a link, or a
 * name the product never made.
 */
class LegacyTemporariesTest {

  @TempDir Path dir;

  private static final FileTime HOUR_AGO = FileTime.from(Instant.now().minus(Duration.ofHours(1)));

  private Path old(Path p) throws IOException {
    Files.setLastModifiedTime(p, HOUR_AGO);
    return p;
  }

  @Test
  void theNextPublishDeletesEarlierVersionsStaleTemporariesOnly() throws Exception {
    Path keras = old(Files.writeString(dir.resolve(".model.keras8311702217263521907.tmp"), "x"));
    Path png = old(Files.writeString(dir.resolve(".curve.png508377120554182131.png"), "x"));
    Path part = old(Files.writeString(dir.resolve(".train-images.gz4412345678.part"), "x"));
    Path export = Files.createDirectories(dir.resolve(".export.tmp4035118233771290411"));
    old(Files.writeString(Files.createDirectories(export.resolve("variables")).resolve("v"), "x"));
    old(export.resolve("variables"));
    old(export);
    // kept: touched lately, held open by a live writer, a link, names the product never made
    Path fresh = Files.writeString(dir.resolve(".other.keras1234567890123.tmp"), "x");
    Path held = old(Files.writeString(dir.resolve(".held.keras7654321098765.tmp"), "x"));
    Path outside = old(Files.writeString(dir.getParent().resolve(dir.getFileName() + "-t"), "x"));
    Path link = Files.createSymbolicLink(dir.resolve(".link.keras1111111111111.tmp"), outside);
    Path userFile = old(Files.writeString(dir.resolve("notes1234567890.tmp"), "x"));
    Path userHidden = old(Files.writeString(dir.resolve(".cache.tmp"), "x"));
    Path freshExport = Files.createDirectories(dir.resolve(".export2.tmp4035118233771290412"));
    Files.writeString(freshExport.resolve("saved_model.pb"), "x"); // written now
    old(freshExport);
    try (FileChannel writer = FileChannel.open(held, StandardOpenOption.WRITE)) {
      FilePublisher.publishBytes(dir.resolve("model.keras"), new byte[] {1});
    }
    for (Path gone : List.of(keras, png, part, export)) {
      assertFalse(Files.exists(gone, LinkOption.NOFOLLOW_LINKS), gone + " is stale");
    }
    for (Path kept : List.of(fresh, held, link, outside, userFile, userHidden, freshExport)) {
      assertTrue(Files.exists(kept, LinkOption.NOFOLLOW_LINKS), kept + " must be kept");
    }
    Files.delete(outside);
  }

  @Test
  void staleWeightsOfEarlierExportsInTheSystemTemporaryDirectoryAreDeleted() throws Exception {
    Path export =
        old(
            Files.writeString(
                dir.resolve("dnn-lessons-export7305113417101813352.weights.h5"), "x"));
    Path read =
        old(Files.writeString(dir.resolve("dnn-lessons-keras123456789012.weights.h5"), "x"));
    Path fresh = Files.writeString(dir.resolve("dnn-lessons-export5555555555555.weights.h5"), "x");
    Path other = old(Files.writeString(dir.resolve("someone-else123456789012.weights.h5"), "x"));
    assertEquals(2, LegacyTemporaries.deleteStaleSystemTemporaries(dir, Instant.now()));
    assertFalse(Files.exists(export));
    assertFalse(Files.exists(read));
    assertTrue(Files.exists(fresh));
    assertTrue(Files.exists(other));
  }
}
