package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every lesson can be found from each side: its class has a test class of its own name, its javadoc
 * names that test and its Python peer script (which exists), and the notebook names its class and
 * command in the section it ports.
 */
class LessonCatalogTest {

  private static final Pattern PEER =
      Pattern.compile("Python peer: (none|\\{@code[\\s*]+([^\\s}]+))");

  @ParameterizedTest
  @EnumSource(LessonCatalog.class)
  void theLessonNamesItsTestAndPythonPeer(LessonCatalog lesson) throws Exception {
    String name = lesson.lessonClass().getSimpleName();
    assertDoesNotThrow(
        () -> Class.forName(lesson.lessonClass().getName() + "Test"), name + " has its own test");
    String source =
        Files.readString(Path.of("src/main/java/org/dnnlessons/lessons", name + ".java"));
    String javadoc = source.substring(0, source.indexOf("public final class " + name));
    assertTrue(javadoc.contains("{@code " + name + "Test}"), name + "'s javadoc names its test");
    Matcher peer = PEER.matcher(javadoc);
    assertTrue(peer.find(), name + "'s javadoc names its Python peer, or says there is none");
    if (peer.group(2) != null) {
      assertTrue(Files.isRegularFile(Path.of(peer.group(2))), "peer " + peer.group(2) + " exists");
    }
    assertTrue(javadoc.contains("notebook's"), name + "'s javadoc names the notebook's cell");
  }

  @ParameterizedTest
  @EnumSource(LessonCatalog.class)
  void theNotebookNamesTheLessonsClassAndCommand(LessonCatalog lesson) throws Exception {
    String notebook =
        Files.readString(
                Path.of("notebooks-equivalent", "deep-neural-networks-in-tensorflow.ipynb"))
            .replace("\\n\",\n        \"", " ");
    String expected =
        "class `"
            + lesson.lessonClass().getName()
            + "`, command `java -jar target/dnn-lessons.jar lesson "
            + lesson.command()
            + "`";
    assertTrue(notebook.contains(expected), "the notebook says " + expected);
  }
}
