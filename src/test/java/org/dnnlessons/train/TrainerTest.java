package org.dnnlessons.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.EmbeddedMnist;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tensorflow.Graph;
import org.tensorflow.Session;

/**
 * {@link Trainer}'s one observer: what a listener throws when an epoch ends (a checkpoint that
 * could not be saved) ends training and reaches the caller unchanged, whichever {@link
 * TrainingSteps} run the steps.
 */
class TrainerTest {

  @ParameterizedTest(name = "{0} steps per run")
  @ValueSource(ints = {1, 8})
  void whatAListenerThrowsAtTheEndOfAnEpochEndsTraining(int stepsPerRun) throws Exception {
    MnistDataSets mnist =
        MnistDataSets.read(
            new EmbeddedMnist(), MnistDataSets.Options.defaults().withReshape(false).withSeed(1));
    Mlp.Options options = Mlp.Options.lesson().withHidden(List.of(16)).withGraphSeed(1L);
    IOException full = new IOException("No space left on device");
    List<String> heard = new ArrayList<>();
    TrainingListener failing =
        new TrainingListener() {
          @Override
          public void epochStarted(int epoch, int steps) {
            heard.add("started " + epoch);
          }

          @Override
          public void epochFinished(EpochSummary summary) throws Exception {
            heard.add("finished " + summary.epoch());
            throw full;
          }
        };
    try (Graph graph = new Graph()) {
      Mlp.Network net = Mlp.build(graph, options);
      TrainingSteps steps =
          stepsPerRun > 1
              ? GraphFedTraining.build(net, options, mnist.train(), stepsPerRun, 128)
              : null;
      try (Session s = net.model().newSession()) {
        s.run(net.init());
        IOException thrown =
            assertThrows(
                IOException.class,
                () ->
                    Trainer.train(
                        s,
                        net,
                        mnist.train(),
                        mnist.validation(),
                        TrainOptions.lesson().withEpochs(3),
                        failing,
                        steps));
        assertSame(full, thrown);
        assertEquals(List.of("started 0", "finished 0"), heard, "no epoch after the failure");
      }
    }
  }
}
