package org.dnnlessons.notebook;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What a cell prints, handed to Jupyter's stream by a thread of its own. Jupyter's messaging
 * (JeroMQ) writes through interruptible NIO channels: a cell's thread that prints while it is
 * interrupted (as JShell interrupts a cell from JDK 20 on) would fail with {@code ZMQException:
 * Errno 4}, close the channel, and leave the unsent text to appear in the next cell's output. Here
 * the cell's thread only queues the bytes; one relay thread, never interrupted, writes them in
 * order, and {@link #drain} waits until all are written before the cell's reply goes out.
 */
final class OutputRelay {

  private final PrintStream log;
  private final ExecutorService relay =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "cell-output");
            t.setDaemon(true);
            return t;
          });

  /**
   * @param log where a failed write is reported, in one line (the kernel's own standard error,
   *     which Jupyter logs)
   */
  OutputRelay(PrintStream log) {
    this.log = log;
  }

  /** A stream whose writes and flushes reach {@code target} on the relay thread, in order. */
  OutputStream relayTo(OutputStream target) {
    return new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        byte[] copy = Arrays.copyOfRange(b, off, off + len);
        relay.execute(() -> io(() -> target.write(copy)));
      }

      @Override
      public void flush() {
        relay.execute(() -> io(target::flush));
      }
    };
  }

  /** Runs {@code action} on the relay thread, after what was queued before it. */
  void execute(Runnable action) {
    relay.execute(action);
  }

  /** Waits until everything queued so far is written. */
  void drain() {
    Future<?> done = relay.submit(() -> {});
    boolean interrupted = false;
    while (true) {
      try {
        done.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void io(IoAction action) {
    try {
      action.run();
    } catch (IOException | RuntimeException e) {
      log.println("dnn-lessons kernel: a cell's output was not sent to Jupyter: " + e);
    }
  }
}
