package org.dnnlessons.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dnnlessons.notebook.KernelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project's Jupyter kernel answers real {@code jupyter_client} messages ({@code
 * kernel_features.py}, from the interop venv, on the kernelspec {@code notebook install-kernel}
 * writes): Tab completion, Shift-Tab inspection, {@code is_complete}, a cell's value shown as a
 * tensor's numpy text or a PNG image, and an interrupt that stops a 1,000-epoch training cell
 * within 2 seconds while the kernel, its definitions and its graphs stay usable, and one inside
 * {@code TrainingRun.run} (the library's loop, which JShell cannot stop from JDK 20 on) within 1
 * second, its output kept out of the next cell and no checkpoint written. CI runs it on JDK 17 and
 * 25.
 */
class KernelFeaturesIT {

  @TempDir Path jupyterPath;

  private static List<String> matches(Map<String, String> r, String key) {
    JsonArray m = JsonParser.parseString(r.get(key)).getAsJsonObject().getAsJsonArray("matches");
    List<String> out = new ArrayList<>();
    m.forEach(e -> out.add(e.getAsString()));
    return out;
  }

  private static JsonObject object(Map<String, String> r, String key) {
    assertTrue(r.containsKey(key), key + " missing from " + r);
    return JsonParser.parseString(r.get(key)).getAsJsonObject();
  }

  private static JsonArray array(Map<String, String> r, String key) {
    assertTrue(r.containsKey(key), key + " missing from " + r);
    return JsonParser.parseString(r.get(key)).getAsJsonArray();
  }

  @Test
  void completionInspectionIsCompleteValuesAndInterruptThroughJupyterMessages() throws Exception {
    KernelSpec.install(jupyterPath.resolve("kernels"));
    Map<String, String> r =
        PythonTensorFlow.run(Map.of("JUPYTER_PATH", jupyterPath.toString()), "kernel_features.py");
    assertEquals("[\"ok\",null]", array(r, "setup").toString(), r.toString());

    // Tab: members of tf and net, a class in scope, packages, a class not imported yet
    assertTrue(matches(r, "complete_tf_pl").contains("placeholder("), r.get("complete_tf_pl"));
    JsonObject tfPl = object(r, "complete_tf_pl");
    assertEquals(3, tfPl.get("start").getAsInt(), "replaces 'pl' in 'tf.pl'");
    assertEquals(5, tfPl.get("end").getAsInt());
    assertTrue(matches(r, "complete_Ml").contains("Mlp"), r.get("complete_Ml"));
    assertTrue(matches(r, "complete_net").contains("trainOp()"), r.get("complete_net"));
    assertTrue(matches(r, "complete_import").contains("nn."), r.get("complete_import"));
    assertTrue(
        matches(r, "complete_unimported").contains("org.dnnlessons.notebook.GraphPicture"),
        r.get("complete_unimported"));

    // Shift-Tab: the signature of the method being called, or of the name under the cursor
    JsonObject placeholder = object(r, "inspect_placeholder");
    assertTrue(placeholder.get("found").getAsBoolean());
    assertTrue(
        placeholder.get("text").getAsString().contains("placeholder(Class<T> dtype"),
        placeholder.toString());
    assertTrue(
        object(r, "inspect_build")
            .get("text")
            .getAsString()
            .contains("Mlp.build(Graph graph, Mlp.Options options)"),
        r.get("inspect_build"));
    assertEquals(
        "Operand<TFloat32> Mlp.Network.logits()",
        object(r, "inspect_name").get("text").getAsString().lines().findFirst().orElse(""),
        r.get("inspect_name"));

    // is_complete: an open block waits for more lines, with an indent
    assertEquals("incomplete", object(r, "is_complete_open_loop").get("status").getAsString());
    assertEquals("    ", object(r, "is_complete_open_loop").get("indent").getAsString());
    assertEquals("complete", object(r, "is_complete_statement").get("status").getAsString());
    assertEquals("complete", object(r, "is_complete_two_lines").get("status").getAsString());
    assertEquals("invalid", object(r, "is_complete_invalid").get("status").getAsString());

    // a cell's value: a tensor as numpy prints it, an image as a PNG
    JsonArray tensor = array(r, "value_tensor");
    assertEquals("[[1.  2. ]\n [3.  4.5]]", tensor.get(1).getAsString(), tensor.toString());
    JsonArray image = array(r, "value_image");
    assertEquals("iVBORw0K", image.get(1).getAsString(), "base64 of the PNG signature");

    // interrupt: the training cell stops after its first epoch, quickly
    JsonObject interrupt = object(r, "interrupt");
    assertEquals("error", interrupt.get("status").getAsString(), interrupt.toString());
    assertTrue(interrupt.get("error").getAsString().contains("interrupted"), interrupt.toString());
    int epochs = interrupt.get("epochs").getAsInt();
    assertTrue(epochs >= 1 && epochs < 1000, "stopped early: " + interrupt);
    double seconds = interrupt.get("seconds").getAsDouble();
    assertTrue(seconds < 2.0, "control back " + seconds + " s after the interrupt");
    JsonElement after = array(r, "after_interrupt");
    assertEquals("[\"ok\",\"42\\n\",null]", after.toString());
    assertEquals(
        "[\"ok\",\"4 variables initialized\\n\",null]",
        array(r, "session_after_interrupt").toString());

    // interrupt inside the library's loop (TrainingRun.run): stops within a second on every JDK,
    // nothing of it in the next cell's output, no checkpoint written
    JsonObject run = object(r, "interrupt_training_run");
    // the measurements, for the report of the JDK this ran on
    System.out.println(
        "JDK " + Runtime.version().feature() + ": cell loop " + interrupt + "; TrainingRun " + run);
    assertEquals("error", run.get("status").getAsString(), run.toString());
    assertTrue(run.get("error").getAsString().contains("interrupted"), run.toString());
    int runEpochs = run.get("epochs").getAsInt();
    assertTrue(runEpochs >= 2 && runEpochs < 1000, "stopped early: " + run);
    double runSeconds = run.get("seconds").getAsDouble();
    assertTrue(runSeconds < 1.0, "control back " + runSeconds + " s after the interrupt");
    assertEquals("[\"ok\",\"1000\\n\",null]", array(r, "after_training_run_interrupt").toString());
    JsonArray runDir = array(r, "run_dir_after_interrupt");
    assertEquals("ok", runDir.get(0).getAsString(), runDir.toString());
    assertTrue(
        !runDir.get(1).getAsString().contains("model.ckpt"),
        "no checkpoint from an interrupted run: " + runDir);
  }
}
