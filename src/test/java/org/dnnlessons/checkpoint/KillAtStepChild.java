package org.dnnlessons.checkpoint;

import java.nio.file.Path;

/**
 * The child process of {@link KillAtEveryStepIT}: with {@code maxToKeep(1)}, overwrites {@code
 * DIR/model.ckpt-2} (the checkpoint the state file names) with the value 3, then saves {@code
 * DIR/model.ckpt-3} with 4, which deletes {@code model.ckpt-2}. At its {@code N}th file-system step
 * (counted from 0, as {@link DurableFiles} enumerates them) it sends itself SIGKILL; with {@code N
 * = -1} it finishes and prints {@code steps K}.
 */
public final class KillAtStepChild {

  private KillAtStepChild() {}

  /** {@code KillAtStepChild DIR N}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int killAt = Integer.parseInt(args[1]);
    int[] steps = {0};
    DurableFiles.listener =
        (step, file) -> {
          if (steps[0]++ == killAt) {
            long pid = ProcessHandle.current().pid();
            try {
              new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("SIGKILL did not arrive");
          }
        };
    try (TinyModel model = new TinyModel(s -> s.maxToKeep(1), false)) {
      model.save(dir.resolve("model.ckpt"), 3f, 2);
      model.save(dir.resolve("model.ckpt"), 4f, 3);
    }
    System.out.println("steps " + steps[0]);
  }
}
