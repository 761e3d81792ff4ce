package org.dnnlessons.lessons;

import java.io.PrintStream;

/**
 * Runs a lesson class directly ({@code java -cp ... org.dnnlessons.lessons.ReluQuiz}) with the
 * notebook's settings: no options (those are the command's, {@code dnn-lessons lesson NAME}), one
 * {@code error: ...} line and status 1 when the lesson fails, status 2 for an argument.
 */
final class LessonLauncher {

  /** A lesson run with its notebook settings. */
  interface LessonRun {
    void run() throws Exception;
  }

  private LessonLauncher() {}

  static void launch(String command, String[] args, LessonRun lesson) {
    System.exit(status(command, args, lesson, System.err));
  }

  /** What {@link #launch} exits with; the error line goes to {@code err}. */
  static int status(String command, String[] args, LessonRun lesson, PrintStream err) {
    if (args.length > 0) {
      err.println(
          "error: a lesson's class runs the notebook's settings and takes no arguments, found '"
              + args[0]
              + "'; for options run 'dnn-lessons lesson "
              + command
              + " --help'");
      return 2;
    }
    try {
      lesson.run();
      return 0;
    } catch (Exception e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      err.println("error: " + message.lines().findFirst().orElse(""));
      return 1;
    }
  }
}
