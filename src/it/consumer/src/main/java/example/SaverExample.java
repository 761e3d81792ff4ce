package example;

import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Saver's javadoc example: save every variable, restore into another session. */
public final class SaverExample {

  private SaverExample() {}

  public static void main(String[] args) throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, Mlp.Options.lesson());
      try (Saver saver = Saver.builder(graph).build();
          Session session = net.model().newSession();
          Session otherSession = net.model().newSession()) {
        session.run(net.init());
        saver.save(session, "model.ckpt");
        saver.restore(otherSession, "model.ckpt");
      }
    }
  }
}
