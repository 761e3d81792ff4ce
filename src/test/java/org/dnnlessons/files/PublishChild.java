package org.dnnlessons.files;

import java.nio.file.Path;

/**
 * The child of {@link PublishKillIT}: publishes {@code new} over {@code DIR/file.txt} and sends
 * itself {@code SIGNAL} (KILL or TERM) before its {@code N}th step.
 */
public final class PublishChild {

  private PublishChild() {}

  /** {@code PublishChild DIR N SIGNAL}. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int killAt = Integer.parseInt(args[1]);
    String signal = args[2];
    int[] steps = {0};
    FilePublisher.listener =
        (step, file) -> {
          if (steps[0]++ == killAt) {
            try {
              new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid()))
                  .start()
                  .waitFor();
              Thread.sleep(60_000);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    FilePublisher.publishBytes(dir.resolve("file.txt"), "new".getBytes());
    System.out.println("steps " + steps[0]);
  }
}
