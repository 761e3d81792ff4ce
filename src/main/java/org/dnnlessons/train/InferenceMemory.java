package org.dnnlessons.train;

import static org.dnnlessons.train.TrainingMemory.add;
import static org.dnnlessons.train.TrainingMemory.mul;

import java.util.List;

/**
 * The memory preflight of {@code evaluate} and {@code predict}, as {@link TrainingMemory} is {@code
 * train}'s: an estimate, from the restored network's widths and the split evaluated in one run,
 * checked before TensorFlow is loaded or the graph built, against the machine's memory and the
 * address space left under {@code ulimit -v} ({@link AddressSpace}).
 *
 * <p>All float32, with {@code P} the parameters, {@code W} the hidden widths plus the 10 classes,
 * {@code I} pixels per image and {@code m} the examples fed in one run: {@code 12 P} bytes for the
 * weights (the variables, the restore's read buffer, the reader's copy), {@code 4 m (2 I + 20)} for
 * the fed split and its labels (in Java and in TensorFlow) and {@code 12 m W} for the activations.
 */
public final class InferenceMemory {

  private InferenceMemory() {}

  /**
   * Refuses at once, before anything loads TensorFlow, when the address space left under {@code
   * ulimit -v} cannot hold TensorFlow itself ({@link AddressSpace#TENSORFLOW_MAPPING}): reading
   * some checkpoints (their activations) already loads it.
   *
   * @throws IllegalArgumentException with one line naming the limit
   */
  public static void checkTensorFlowFits() {
    if (AddressSpace.left() <= 0) {
      throw new IllegalArgumentException(
          "the address-space limit (ulimit -v) leaves this process less than the "
              + TrainingMemory.bytes(AddressSpace.TENSORFLOW_MAPPING)
              + " TensorFlow maps when it loads; raise ulimit -v or lower -Xmx");
    }
  }

  /**
   * Refuses restoring {@code hidden} and evaluating {@code examples} images in one run when the
   * estimate exceeds what this process may use.
   *
   * @param checkpoint the checkpoint named in the message
   * @param imageSize pixels per image (784 for MNIST)
   * @param hidden the checkpoint's hidden layer widths, in order
   * @param examples the images evaluated in one run (the whole test split, as the lesson does)
   * @throws IllegalArgumentException with one line naming the widths, the estimate and the limit
   */
  public static void check(String checkpoint, int imageSize, List<Integer> hidden, int examples) {
    TrainingMemory.LayerSizes sizes = TrainingMemory.LayerSizes.of(imageSize, hidden);
    long parameters = sizes.parameters();
    long widths = sizes.widths();
    long total =
        add(
            mul(12, parameters),
            add(mul(mul(4, examples), add(mul(2, imageSize), 20)), mul(mul(12, examples), widths)));
    long physical = TrainingMemory.physicalBytes();
    long addressSpace = AddressSpace.left();
    if (total <= Math.min(physical, addressSpace)) {
      return;
    }
    String shape = hidden.size() <= 8 ? hidden.toString() : hidden.size() + " hidden layers";
    throw new IllegalArgumentException(
        checkpoint
            + ": restoring a network with hidden widths "
            + shape
            + " ("
            + parameters
            + " parameters) and evaluating "
            + examples
            + " images in one run needs about "
            + TrainingMemory.bytes(total)
            + ", more than the "
            + (addressSpace < physical
                ? TrainingMemory.bytes(addressSpace)
                    + " of address space the limit (ulimit -v) leaves once TensorFlow is loaded"
                : TrainingMemory.bytes(physical) + " of memory of this machine"));
  }
}
