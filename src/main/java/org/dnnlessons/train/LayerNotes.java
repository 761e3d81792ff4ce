package org.dnnlessons.train;

import java.util.ArrayList;
import java.util.List;
import org.dnnlessons.nn.ModelDescription;

/**
 * What {@code train} says before training a model other than the lesson's MLP: its layers, the
 * layers that keep their values (only the Dense layers train), and the Dropout layers that are the
 * identity here.
 */
final class LayerNotes {

  private LayerNotes() {}

  /**
   * The lines to print before training {@code model}.
   *
   * @param model the model being trained
   * @return no line for the lesson's MLP; else {@code Model: ...}, then a line for frozen layers
   *     and one for Dropout layers when there are any
   */
  static List<String> lines(ModelDescription model) {
    if (model.isLessonMlp()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>();
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
