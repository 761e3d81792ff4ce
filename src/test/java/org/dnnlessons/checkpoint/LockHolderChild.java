package org.dnnlessons.checkpoint;

import java.nio.file.Path;

/**
 * The child process of {@link SecondWriterIT}: saves {@code DIR/model.ckpt-1}, prints {@code
 * saved}, waits until its standard input closes, saves {@code DIR/model.ckpt-2} and exits.
 */
public final class LockHolderChild {

  private LockHolderChild() {}

  /** {@code LockHolderChild DIR}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    try (TinyModel model = new TinyModel(s -> s, false)) {
      model.save(dir.resolve("model.ckpt"), 1f, 1);
      System.out.println("saved");
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent
      }
      model.save(dir.resolve("model.ckpt"), 2f, 2);
    }
  }
}
