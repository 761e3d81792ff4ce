package org.dnnlessons.lessons;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dnnlessons.cli.Main;

/**
 * Lets each lesson class be run directly ({@code java -cp ... org.dnnlessons.lessons.ReluQuiz})
 * with the same options and error handling as {@code dnn-lessons lesson NAME}. This is the only
 * place where the lessons reach into the command line.
 */
final class LessonLauncher {

  private LessonLauncher() {}

  static void launch(String lesson, String[] args) {
    List<String> all = new ArrayList<>(List.of("lesson", lesson));
    all.addAll(Arrays.asList(args));
    System.exit(Main.execute(all.toArray(new String[0])));
  }
}
