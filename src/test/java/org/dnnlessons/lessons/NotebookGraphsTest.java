package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.notebook.JavaCells;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * What the notebook teaches is what the project runs, node for node (name, op, inputs, attributes,
 * order): the notebook's multilayer perceptron cells build the graph of {@link Mlp#build} (and so
 * of {@link MlpLesson}, {@code LessonGraphsTest}), and its "Save a Trained Model" cell the
 * single-layer graph of {@link SaveTrainedModel} and {@link LoadTrainedModel}.
 */
class NotebookGraphsTest {

  /** The lesson cells to run: the graphs' cells, not the training runs (10 and 14). */
  private static final Set<Integer> CELLS = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13);

  @TempDir Path dir;

  @Test
  void theNotebooksGraphsAreTheLessonClassesGraphs() throws Exception {
    JsonObject nb =
        JsonParser.parseString(
                Files.readString(
                    Path.of("notebooks-equivalent", "deep-neural-networks-in-tensorflow.ipynb")))
            .getAsJsonObject();
    Path mlpGraphDef = dir.resolve("mlp.pb");
    Path graphDef = dir.resolve("single-layer.pb");
    try (JavaCells shell = JavaCells.open()) {
      for (var element : nb.getAsJsonArray("cells")) {
        JsonObject cell = element.getAsJsonObject();
        JsonObject meta = cell.getAsJsonObject("metadata").getAsJsonObject("dnn_lessons");
        if (meta == null
            || !meta.has("lesson_cell")
            || !CELLS.contains(meta.get("lesson_cell").getAsInt())) {
          continue;
        }
        StringBuilder source = new StringBuilder();
        cell.getAsJsonArray("source").forEach(l -> source.append(l.getAsString()));
        shell.eval(source.toString());
        if (meta.get("lesson_cell").getAsInt() == 9) { // Optimizer: the MLP graph is complete
          shell.eval("g.globalVariablesInitializer();"); // the session cell's first line
          write(shell, "graph", mlpGraphDef);
        }
      }
      write(shell, "graph", graphDef);
    }
    try (Graph mlp = new Graph();
        Graph singleLayer = new Graph()) {
      Mlp.build(mlp, Mlp.Options.lesson().withGraphSeed(1L));
      assertSameGraph(mlp, mlpGraphDef);
      SingleLayerModel.build(singleLayer, 1L);
      assertSameGraph(singleLayer, graphDef);
    }
  }

  private static void write(JavaCells shell, String graph, Path file) throws Exception {
    shell.eval(
        "Files.write(Path.of(\""
            + file.toString().replace("\\", "\\\\")
            + "\"), "
            + graph
            + ".toGraphDef().toByteArray());");
  }

  private static void assertSameGraph(Graph expected, Path notebookGraphDef) throws Exception {
    List<NodeDef> notebook = GraphDef.parseFrom(Files.readAllBytes(notebookGraphDef)).getNodeList();
    List<NodeDef> project = expected.toGraphDef().getNodeList();
    assertEquals(summary(project), summary(notebook));
    for (int i = 0; i < project.size(); i++) {
      assertEquals(project.get(i), notebook.get(i), project.get(i).getName());
    }
  }

  private static String summary(List<NodeDef> nodes) {
    return nodes.stream()
        .map(n -> n.getName() + " = " + n.getOp() + n.getInputList())
        .collect(Collectors.joining("\n"));
  }
}
