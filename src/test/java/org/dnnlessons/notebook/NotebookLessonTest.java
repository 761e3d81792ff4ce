package org.dnnlessons.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The notebook teaches the lesson's graph: one Java code cell per Python code cell of the lesson,
 * in the lesson's order, each under a heading naming its lesson section, the graph written op by op
 * in TensorFlow Java ({@code placeholder}, {@code reshape}, {@code relu}, ...). That its graphs are
 * node for node the project's is {@code lessons.NotebookGraphsTest}.
 */
class NotebookLessonTest {

  static final Path NOTEBOOK =
      Path.of("notebooks-equivalent", "deep-neural-networks-in-tensorflow.ipynb");

  /** The lesson's Python code cells, in order, by the section each one belongs to. */
  static final List<String> LESSON_CELLS =
      List.of(
          "TensorFlow ReLUs",
          "TensorFlow ReLUs: Quiz",
          "TensorFlow MNIST",
          "Learning Parameters",
          "Hidden Layer Parameters",
          "Weights and Biases",
          "Input",
          "Multilayer Perceptron",
          "Optimizer",
          "Session",
          "Saving Variables",
          "Loading Variables",
          "Save a Trained Model",
          "Save a Trained Model",
          "Load a Trained Model",
          "Naming Error",
          "Naming Error",
          "TensorFlow Dropout",
          "TensorFlow Dropout: Quiz");

  private static List<JsonObject> cells() throws Exception {
    JsonObject nb = JsonParser.parseString(Files.readString(NOTEBOOK)).getAsJsonObject();
    List<JsonObject> out = new ArrayList<>();
    nb.getAsJsonArray("cells").forEach(c -> out.add(c.getAsJsonObject()));
    return out;
  }

  private static String source(JsonObject cell) {
    var s = cell.get("source");
    if (s.isJsonArray()) {
      StringBuilder b = new StringBuilder();
      s.getAsJsonArray().forEach(l -> b.append(l.getAsString()));
      return b.toString();
    }
    return s.getAsString();
  }

  private static JsonObject dnnLessons(JsonObject cell) {
    JsonObject meta = cell.getAsJsonObject("metadata");
    return meta != null && meta.has("dnn_lessons")
        ? meta.getAsJsonObject("dnn_lessons")
        : new JsonObject();
  }

  @Test
  void everyLessonCodeCellHasItsJavaCellInOrderUnderAHeadingNamingItsSection() throws Exception {
    List<String> ported = new ArrayList<>();
    String lastMarkdown = "";
    int extras = 0;
    for (JsonObject cell : cells()) {
      String type = cell.get("cell_type").getAsString();
      if (type.equals("markdown")) {
        lastMarkdown = source(cell);
        continue;
      }
      JsonObject ours = dnnLessons(cell);
      if (ours.has("extra")) {
        extras++;
        continue;
      }
      assertTrue(ours.has("lesson_cell"), "a code cell without lesson_cell: " + source(cell));
      int number = ours.get("lesson_cell").getAsInt();
      String section = ours.get("lesson_section").getAsString();
      assertEquals(ported.size() + 1, number, "lesson cells in order");
      assertEquals(LESSON_CELLS.get(number - 1), section, "lesson cell " + number);
      assertTrue(
          lastMarkdown.contains(section),
          "the markdown before lesson cell " + number + " names '" + section + "'");
      ported.add(section);
    }
    assertEquals(LESSON_CELLS, ported);
    assertEquals(3, extras, "two graph pictures and the deeper network");
  }

  @Test
  void theCodeBuildsTheGraphWithTensorFlowJavasOps() throws Exception {
    String code =
        cells().stream()
            .filter(c -> c.get("cell_type").getAsString().equals("code"))
            .map(NotebookLessonTest::source)
            .collect(Collectors.joining("\n"));
    for (String op :
        List.of(
            ".placeholder(",
            ".reshape(",
            "linalg.matMul(",
            "math.add(",
            "nn.relu(",
            "softmaxCrossEntropyWithLogits(",
            "math.mean(",
            "new GradientDescent(",
            ".minimize(cost",
            "nextBatch(batchSize)",
            "math.argMax(",
            "Saver.builder(graph)",
            ".restore(sess, saveFile)",
            "\"keep_prob\"",
            "feed(keepProb, half)",
            "Dropout.apply(",
            "\"weights_0\"",
            "learningRate",
            "nHiddenLayer",
            "weights.get(\"hidden_layer\")",
            "biases.get(\"out\")")) {
      assertTrue(code.contains(op), "the notebook's code uses " + op);
    }
    for (String hidden : List.of("DropoutQuiz", "Layers.", "MlpLesson", "Trainer.", "Evaluator.")) {
      assertFalse(code.contains(hidden), "the graph is written out, not hidden behind " + hidden);
    }
  }
}
