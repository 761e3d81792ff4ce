package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.data.MnistDataSets;
import org.dnnlessons.nn.Mlp;
import org.dnnlessons.nn.ModelDescription;

/**
 * What {@code train} prints before training: the data line (the data, its splits, the hidden
 * widths) and, for a model other than the lesson's MLP, its layers, the layers that keep their
 * values (only the Dense layers train) and the Dropout layers that are the identity here.
 */
final class RunHeader {

  private RunHeader() {}

  /**
   * The lines to print before training.
   *
   * @param data where the data came from
   * @param sets its splits
   * @param network the network to train
   * @return the data line; then, for a model other than the lesson's MLP, {@code Model: ...} and a
   *     line each for frozen layers and Dropout layers when there are any
   */
  static List<String> lines(DataSource data, MnistDataSets sets, Mlp.Options network) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "Training on "
            + data.describe()
            + ": "
            + sets.train().numExamples()
            + " train, "
            + sets.validation().numExamples()
            + " validation, "
            + sets.test().numExamples()
            + " test; hidden "
            + network.hidden());
    ModelDescription model = network.model();
    if (model.isLessonMlp()) {
      return lines;
    }
    lines.add("Model: " + model.summary());
    List<String> frozen = new ArrayList<>();
    List<String> dropouts = new ArrayList<>();
    for (ModelDescription.Layer l : model.layers()) {
      if (l instanceof ModelDescription.BatchNormalization
          || l instanceof ModelDescription.Normalization
          || l instanceof ModelDescription.PRelu) {
        frozen.add(l.kerasClass() + (l.name() == null ? "" : " '" + l.name() + "'"));
      } else if (l instanceof ModelDescription.Dropout) {
        dropouts.add(l.name() == null ? "Dropout" : "'" + l.name() + "'");
      }
    }
    if (!frozen.isEmpty()) {
      lines.add(
          "Only the Dense layers train: "
              + String.join(", ", frozen)
              + " keep their values (BatchNormalization at its moving statistics, as Keras's"
              + " trainable=False)");
    }
    if (!dropouts.isEmpty()) {
      lines.add(
          "Dropout layers "
              + String.join(", ", dropouts)
              + " are the identity here (--keep-prob adds the lesson's dropout)");
    }
    return lines;
  }
}
