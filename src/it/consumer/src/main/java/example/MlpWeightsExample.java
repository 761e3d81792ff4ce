package example;

import java.nio.file.Path;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** MlpWeights' javadoc example: a Keras model's weights into the lesson's network. */
public final class MlpWeightsExample {

  private MlpWeightsExample() {}

  public static void main(String[] args) throws Exception {
    MlpWeights w = MlpWeights.read(Path.of("model.keras"));
    float[] kernel = w.tensors().get("hidden_layer/weights").floats();
    System.out.println(w.hidden() + " " + kernel.length);
    try (Graph g = new Graph()) {
      Mlp.Network net = Mlp.build(g, Mlp.Options.lesson().withHidden(w.hidden()));
      try (Session s = net.model().newSession()) {
        w.restore(s, net);
      }
    }
  }
}
