package org.dnnlessons.serve;

import java.nio.file.Path;
import java.util.List;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.nn.Mlp;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/** Checkpoints of a small untrained MLP, written as {@code train --save} writes them. */
final class Checkpoints {

  /**
   * Saves a freshly initialized MLP (hidden layer of 16, graph seed {@code seed}) at {@code
   * dir/model.ckpt-STEP}, updating the directory's state file.
   *
   * @return the prefix written
   */
  static String save(Path dir, long step, long seed) throws Exception {
    try (Graph graph = new Graph()) {
      Mlp.Network net =
          Mlp.build(graph, Mlp.Options.lesson().withHidden(List.of(16)).withGraphSeed(seed));
      try (Session session = net.model().newSession()) {
        session.runner().addTarget(net.model().globalVariablesInitializer()).run();
        try (Saver saver = Saver.builder(graph).build()) {
          return saver.save(session, dir.resolve("model.ckpt").toString(), step);
        }
      }
    }
  }

  private Checkpoints() {}
}
