package example;

import java.nio.file.Path;
import org.dnnlessons.checkpoint.CheckpointReader;
import org.dnnlessons.checkpoint.TensorInfo;

/** CheckpointReader's javadoc example: list a checkpoint's tensors, read one. */
public final class CheckpointReaderExample {

  private CheckpointReaderExample() {}

  public static void main(String[] args) throws Exception {
    CheckpointReader reader = CheckpointReader.open(Path.of("run/model.ckpt-540"));
    for (TensorInfo t : reader.tensors()) {
      System.out.println(t);
    }
    float[] w = reader.read("hidden_layer/weights").floats();
    System.out.println(w.length);
  }
}
