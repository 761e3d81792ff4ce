package org.dnnlessons.train;

import java.util.concurrent.CancellationException;

/**
 * Cooperative interruption of the library's long loops: {@link Trainer#train} calls {@link
 * #check()} between two {@code Session.run} calls, so that a thread interrupted from outside (a
 * Jupyter interrupt on JDK 19 and later, where JShell interrupts the cell's thread instead of
 * stopping it; {@code Future.cancel(true)}; an executor's {@code shutdownNow}) stops training at
 * the next step instead of running to the end. A run stopped this way saves nothing more: the
 * checkpoints already written stay as they were.
 */
public final class Interruption {

  private Interruption() {}

  /**
   * Throws when the current thread has been interrupted, and clears its interrupt status, so that
   * what runs while the exception unwinds (closing a session, printing, writing a file through an
   * interruptible channel) is not interrupted again.
   *
   * @throws CancellationException with the message {@code "interrupted"} when the current thread
   *     was interrupted
   */
  public static void check() {
    if (Thread.interrupted()) {
      throw new CancellationException("interrupted");
    }
  }
}
