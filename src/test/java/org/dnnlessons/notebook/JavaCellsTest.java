package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shell behind the kernel: a cell's value, stopping a running cell, completeness, completion
 * and documentation (through real Jupyter messages in {@code KernelFeaturesIT}).
 */
class JavaCellsTest {

  @Test
  void aCellEndingWithAnExpressionReturnsItsValueOthersNone() throws Exception {
    try (JavaCells cells = JavaCells.open()) {
      assertNull(cells.eval("int x = 6 * 7;"));
      assertEquals(42, cells.eval("x"));
      assertEquals("42!", cells.eval("int y = 1;\nString.valueOf(x) + \"!\""));
      assertNull(cells.eval("x = 5;"), "an assignment shows nothing, as in Python");
      assertNull(cells.eval("System.out.print(\"\");"), "a void call shows nothing");
    }
  }

  private static CompletableFuture<Throwable> evalAsync(JavaCells cells, String source) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            cells.eval(source);
            return null;
          } catch (Throwable t) {
            return t;
          }
        });
  }

  private static void assertInterrupted(CompletableFuture<Throwable> running) throws Exception {
    Throwable t = running.get(30, TimeUnit.SECONDS);
    assertTrue(t instanceof JavaCells.CellFailure, String.valueOf(t));
    assertTrue(t.getMessage().startsWith("interrupted"), t.getMessage());
  }

  @Test
  void stopEndsARunningLoopAndTheShellCarriesOn() throws Exception {
    try (JavaCells cells = JavaCells.open()) {
      cells.eval("long n = 0;");
      System.clearProperty("javacells.test.running");
      CompletableFuture<Throwable> running =
          evalAsync(
              cells,
              "while (true) { if (n++ == 0) System.setProperty(\"javacells.test.running\", \"yes\"); }");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.getProperty("javacells.test.running") == null && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertEquals("yes", System.getProperty("javacells.test.running"), "the loop started");
      cells.stop();
      assertInterrupted(running);
      assertTrue((Long) cells.eval("n") > 0, "the loop ran, its variable kept");
      assertEquals(7, cells.eval("3 + 4"));
    }
  }

  @Test
  void stopEndsALoopInsideALibraryThatChecksForInterruptOnEveryJdk() throws Exception {
    try (JavaCells cells = JavaCells.open()) {
      cells.eval("int kept = 42;");
      // a thread a library started in an earlier cell stays in that cell's execution group
      cells.eval(
          "Thread daemon = new Thread(() -> { while (true) { try { Thread.sleep(1000); }"
              + " catch (InterruptedException e) { } } }); daemon.setDaemon(true);"
              + " daemon.start();");
      System.clearProperty("javacells.test.running");
      CompletableFuture<Throwable> running =
          evalAsync(cells, "org.dnnlessons.notebook.LibraryLoop.spin();");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (System.getProperty("javacells.test.running") == null && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      long start = System.nanoTime();
      cells.stop();
      assertInterrupted(running);
      double seconds = (System.nanoTime() - start) / 1e9;
      assertTrue(seconds < 1.0, "stopped after " + seconds + " s");
      assertEquals(42, cells.eval("kept"), "earlier definitions kept");
    }
  }

  @Test
  void aStopWhileTheCellStillCompilesStopsItOnceItRuns() throws Exception {
    try (JavaCells cells = JavaCells.open()) {
      CompletableFuture<Throwable> running =
          evalAsync(cells, "while (true) { Thread.onSpinWait(); }");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      // as soon as the cell is being evaluated (compiling), ask once
      while (!running.isDone() && System.nanoTime() < deadline) {
        cells.stop();
        Thread.sleep(5);
        if (Thread.getAllStackTraces().keySet().stream()
            .anyMatch(t -> t.getName().equals("jshell-stop"))) {
          break;
        }
      }
      assertInterrupted(running);
      assertEquals(7, cells.eval("3 + 4"), "the next cell runs");
    }
  }

  @Test
  void completenessCompletionAndDocumentation() throws Exception {
    try (JavaCells cells = JavaCells.open()) {
      assertEquals(JavaCells.Completeness.INCOMPLETE, cells.completeness("if (true) {\n"));
      assertEquals(JavaCells.Completeness.COMPLETE, cells.completeness("int a = 1;\nint b = 2;"));
      assertEquals(JavaCells.Completeness.INVALID, cells.completeness("int c = 1;\n}"));
      cells.eval("import org.dnnlessons.nn.*;");
      JavaCells.Completions c = cells.complete("Mlp.Options.les", 15);
      assertTrue(c.matches().contains("lesson()"), c.toString());
      assertEquals(12, c.start());
      assertTrue(
          cells.documentation("Mlp.build(", 10).get(0).contains("Mlp.Options options)"),
          cells.documentation("Mlp.build(", 10).toString());
      // a record's accessor, the same on JDK 17 and 25 (whose JShell writes the record's header)
      cells.eval("Mlp.Network net = Mlp.build(new org.tensorflow.Graph(), Mlp.Options.lesson());");
      assertEquals(
          "Operand<TFloat32> Mlp.Network.logits()", cells.documentation("net.logits", 6).get(0));
    }
  }

  @Test
  void signaturesReadTheSameOnEveryJdk() {
    // JDK 25's JShell: the record's header before the accessor, packages written out
    assertEquals(
        "Operand<TFloat32> Mlp.Network.logits()",
        JavaCells.readable(
            "Operand<org.tensorflow.types.TFloat32> Mlp.Network(org.dnnlessons.nn.ModelGraph model,"
                + " org.tensorflow.op.core.Placeholder<org.tensorflow.types.TFloat32> x,"
                + " java.util.List<org.dnnlessons.nn.NamedVariable<org.tensorflow.types.TFloat32>>"
                + " variables).logits()"));
    // JDK 17's
    assertEquals(
        "Operand<TFloat32> Mlp.Network.logits()",
        JavaCells.readable(
            "Operand<org.tensorflow.types.TFloat32> org.dnnlessons.nn.Mlp.Network.logits()"));
    assertEquals(
        "<T> Placeholder<T> Ops.placeholder(Class<T> dtype, Placeholder.Options... options)",
        JavaCells.readable(
            "<T> Placeholder<T> Ops.placeholder(Class<T> dtype, Placeholder.Options... options)"));
  }
}
