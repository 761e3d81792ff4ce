package org.dnnlessons.cli;

import java.util.List;
import org.dnnlessons.nn.Mlp;
import picocli.CommandLine.Option;

/** {@code --hidden 256,128}: the hidden layer widths of the multilayer perceptron. */
final class NetworkOptions {

  @Option(
      names = "--hidden",
      paramLabel = "LIST",
      split = ",",
      defaultValue = "256",
      description =
          "Hidden layer widths, comma-separated; one ReLU layer per entry (default:"
              + " ${DEFAULT-VALUE}). Layers are saved as hidden_layer, hidden_layer_2, ..., out.")
  List<Integer> hidden;

  /** The lesson's network with these widths. */
  Mlp.Options lesson() {
    return Mlp.Options.lesson().withHidden(hidden);
  }
}
