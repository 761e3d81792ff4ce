package org.dnnlessons.lessons;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.CheckpointException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;

/**
 * {@link NamingError} and {@link NamingFix} are written out separately, each as its notebook cell,
 * yet teach one difference: the names passed to the two variables. This pins them side by side: the
 * graphs they save are node for node the same once {@code Variable} is read as {@code weights_0}
 * and {@code Variable_1} as {@code bias_0}, and they print the same lines but for the names, which
 * the creation order swaps only without explicit names.
 */
class NamingLessonsTest {

  @TempDir Path dir;

  @Test
  void theTwoLessonsSaveTheSameGraphButForTheNames() throws Exception {
    String error = dir.resolve("error.ckpt").toString();
    String fix = dir.resolve("fix.ckpt").toString();
    ByteArrayOutputStream errorLines = new ByteArrayOutputStream();
    ByteArrayOutputStream fixLines = new ByteArrayOutputStream();
    assertThrows(
        CheckpointException.class,
        () -> NamingError.run(new NamingError.Options(error), print(errorLines)));
    NamingFix.run(new NamingFix.Options(fix), print(fixLines));

    List<String> errorGraph =
        modelNodes(error).stream().map(n -> text(NodeDef.newBuilder(n), true)).toList();
    List<String> fixGraph =
        modelNodes(fix).stream().map(n -> text(NodeDef.newBuilder(n), false)).toList();
    assertEquals(String.join("\n", fixGraph), String.join("\n", errorGraph));
    assertTrue(fixGraph.size() >= 10, "two variables with their initializers: " + fixGraph);

    List<String> e = errorLines.toString(StandardCharsets.UTF_8).lines().toList();
    List<String> f = fixLines.toString(StandardCharsets.UTF_8).lines().toList();
    // saving: the same variables, under their automatic or explicit names
    assertEquals(f.subList(0, 2), e.subList(0, 2).stream().map(NamingLessonsTest::named).toList());
    // loading: created in the other order, the automatic names went to the other variable
    assertEquals(List.of("Load Weights: Variable_1:0", "Load Bias: Variable:0"), e.subList(2, 4));
    assertEquals(List.of("Load Weights: weights_0:0", "Load Bias: bias_0:0"), f.subList(2, 4));
  }

  /** The saved graph's nodes but the saver's own (its name list is sorted, so ordered by name). */
  private static List<NodeDef> modelNodes(String prefix) throws Exception {
    MetaGraphDef meta = MetaGraphDef.parseFrom(Files.readAllBytes(Path.of(prefix + ".meta")));
    return meta.getGraphDef().getNodeList().stream()
        .filter(n -> !n.getName().startsWith("save/"))
        .toList();
  }

  /**
   * A node as text, its control inputs sorted (TensorFlow lists the initializer's by name, which
   * the renaming reorders), the automatic names read as the fix's when {@code rename}.
   */
  private static String text(NodeDef.Builder node, boolean rename) {
    List<String> inputs = node.getInputList().stream().map(i -> rename ? named(i) : i).toList();
    List<String> data = inputs.stream().filter(i -> !i.startsWith("^")).toList();
    List<String> control = inputs.stream().filter(i -> i.startsWith("^")).sorted().toList();
    node.clearInput().addAllInput(data).addAllInput(control);
    return rename ? named(node.build()) : node.build().toString();
  }

  /** The automatic names read as the fix's explicit ones. */
  private static String named(Object text) {
    return text.toString()
        .replaceAll("\\bVariable_1\\b", "bias_0")
        .replaceAll("\\bVariable\\b", "weights_0");
  }

  private static PrintStream print(ByteArrayOutputStream to) {
    return new PrintStream(to, true, StandardCharsets.UTF_8);
  }
}
