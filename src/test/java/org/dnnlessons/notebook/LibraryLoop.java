package org.dnnlessons.notebook;

import org.dnnlessons.train.Interruption;

/**
 * A loop outside the cell's own code, as a library's (a training run's) is: JShell from JDK 20 on
 * cannot end it, only interrupt its thread, and it stops because it checks ({@link Interruption}).
 */
public final class LibraryLoop {

  private LibraryLoop() {}

  /** Spins, setting {@code javacells.test.running} once, until the thread is interrupted. */
  public static void spin() {
    System.setProperty("javacells.test.running", "yes");
    while (true) {
      Interruption.check();
      Thread.onSpinWait();
    }
  }
}
