package org.dnnlessons.train;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import org.dnnlessons.data.MnistDataSets;

/**
 * An estimate, made before the graph is built, of the memory a training run's tensors take, so that
 * {@code --hidden 2000000000} is refused at once with one line instead of running for a minute into
 * TensorFlow's {@code ResourceExhausted}.
 *
 * <p>All float32 (4 bytes), with {@code I} pixels per image, {@code W} the sum of the hidden widths
 * plus the 10 classes, {@code P} the parameters (weights and biases), {@code B} the batch size,
 * {@code K} the steps per run, {@code n} the training examples and {@code m} the larger of the
 * validation and test splits:
 *
 * <ul>
 *   <li>{@code parameters}: {@code 16 P} bytes (the variables, their gradients, the initializers'
 *       random values, a copy while saving);
 *   <li>{@code step}: {@code 4 B (3 I + 5 W)} bytes (the fed batch in Java and in TensorFlow, each
 *       layer's activations forward and back), plus {@code 9 K B I} for the {@code K} batches the
 *       graph-fed loop gathers at once ({@code K = 1} for {@code --jit-compile}'s while loop, which
 *       gathers one batch at a time);
 *   <li>{@code data}: {@code 3 n (I + 4)} bytes for the training split copied into the graph (with
 *       more than one step per run, or with {@code --jit-compile});
 *   <li>{@code evaluation}: {@code 4 m (2 I + 20)} bytes for the whole split fed in one run, as the
 *       lesson evaluates, and {@code 12 m W} for its activations;
 *   <li>{@code graph}: {@link #GRAPH_BYTES_PER_LAYER_STEP} for each layer ({@code L} hidden and the
 *       output) of each copy of the step the graph holds ({@code K + 1} with more than one step per
 *       run: the network's own step and {@code K} unrolled ones, else 1): the graph's ops, the
 *       copies TensorFlow makes to optimize and run it, whatever the widths. A deep narrow
 *       network's tensors are small, its graph is not: {@code train --hidden} of 300 width-8 layers
 *       passed the other terms and then took gigabytes building and optimizing its graph.
 * </ul>
 *
 * Every sum and product saturates at {@link Long#MAX_VALUE} instead of wrapping. The estimate is
 * within a small factor of what TensorFlow allocates; it exists to refuse what cannot fit, not to
 * predict the resident size.
 *
 * @param parameterBytes the network's variables and what training keeps beside them
 * @param stepBytes one training step's (or run's, with several steps per run) tensors
 * @param dataBytes the training split held in the graph (graph-fed loop), else 0
 * @param evaluationBytes the larger of the validation and test splits fed in one run
 * @param activationBytes the layers' activations on that split
 * @param evaluationFloats the floats of that one evaluation batch (a Java array holds at most 2^31)
 * @param graphBytes the graph's own memory: its ops and TensorFlow's copies of them, by layers and
 *     copies of the step
 * @param graphLayers the layers with weights: the hidden ones and the output
 * @param graphCopies the copies of the training step the graph holds
 */
public record TrainingMemory(
    long parameterBytes,
    long stepBytes,
    long dataBytes,
    long evaluationBytes,
    long activationBytes,
    long evaluationFloats,
    long graphBytes,
    long graphLayers,
    long graphCopies) {

  /**
   * The graph's memory per layer and copy of the training step: measured 0.7 MB after the unrolled
   * steps' graph became linear in the layers ({@code train --hidden} of 100 and of 200 width-8
   * layers, 8 steps per run, peaked at 0.94 and 1.50 GB resident), rounded up.
   */
  public static final long GRAPH_BYTES_PER_LAYER_STEP = 1L << 20;

  /** The most steps per run: the graph holds every step, and building it takes about 0.2 s each. */
  public static final int MAX_STEPS_PER_RUN = 64;

  /**
   * Estimates a run's memory.
   *
   * @param imageSize pixels per image (784 for MNIST)
   * @param hidden the hidden layer widths
   * @param batchSize examples per step
   * @param stepsPerRun steps per {@code Session.run}; above 1, the training split is in the graph
   * @param trainExamples examples in the training split
   * @param evaluationExamples examples in the larger of the validation and test splits
   * @return the estimate in bytes, each part saturating at {@link Long#MAX_VALUE}
   */
  public static TrainingMemory estimate(
      int imageSize,
      List<Integer> hidden,
      int batchSize,
      int stepsPerRun,
      int trainExamples,
      int evaluationExamples) {
    return estimate(
        imageSize, hidden, batchSize, stepsPerRun, false, trainExamples, evaluationExamples);
  }

  /**
   * As above; {@code whileLoop} for {@code --jit-compile}'s loop ({@link WhileLoopTraining}), which
   * holds the training split in its graph at any {@code stepsPerRun} but gathers one batch at a
   * time, however many steps a run takes.
   *
   * @param imageSize pixels per image (784 for MNIST)
   * @param hidden the hidden layer widths
   * @param batchSize examples per step
   * @param stepsPerRun steps per {@code Session.run}; above 1 (or with {@code whileLoop}), the
   *     training split is in the graph
   * @param whileLoop true for {@code --jit-compile}'s loop: the split in the graph, one batch
   *     gathered at a time
   * @param trainExamples examples in the training split
   * @param evaluationExamples examples in the larger of the validation and test splits
   * @return the estimate in bytes, each part saturating at {@link Long#MAX_VALUE}
   */
  public static TrainingMemory estimate(
      int imageSize,
      List<Integer> hidden,
      int batchSize,
      int stepsPerRun,
      boolean whileLoop,
      int trainExamples,
      int evaluationExamples) {
    LayerSizes sizes = LayerSizes.of(imageSize, hidden);
    long parameters = sizes.parameters();
    long widths = sizes.widths();
    long step = mul(mul(4, batchSize), add(mul(3, imageSize), mul(5, widths)));
    long data = 0;
    if (stepsPerRun > 1 || whileLoop) {
      int gathered = whileLoop ? 1 : stepsPerRun;
      step = add(step, mul(mul(9, gathered), mul(batchSize, imageSize)));
      data = mul(mul(3, trainExamples), add(imageSize, 4));
    }
    long evaluationFloats = mul(evaluationExamples, imageSize);
    long evaluation = mul(mul(4, evaluationExamples), add(mul(2, imageSize), 20));
    long activations = mul(mul(12, evaluationExamples), widths);
    long copies = stepsPerRun > 1 && !whileLoop ? stepsPerRun + 1L : 1;
    long layers = hidden.size() + 1L;
    return new TrainingMemory(
        mul(16, parameters),
        step,
        data,
        evaluation,
        activations,
        evaluationFloats,
        mul(mul(layers, copies), GRAPH_BYTES_PER_LAYER_STEP),
        layers,
        copies);
  }

  /**
   * Everything together, saturating at {@link Long#MAX_VALUE}.
   *
   * @return the sum of every part, in bytes
   */
  public long totalBytes() {
    return add(
        add(add(parameterBytes, activationBytes), add(stepBytes, graphBytes)),
        add(dataBytes, evaluationBytes));
  }

  /**
   * Refuses a run whose estimate exceeds {@code availableBytes}, naming the option that takes the
   * most: {@code --hidden} for the parameters, {@code --batch-size} for a step, {@code
   * --steps-per-run} for the gathered batches, the splits for evaluation.
   *
   * @param availableBytes the memory the run may take, in bytes
   * @param hiddenOption how the hidden widths were given, for the message, e.g. {@code "--hidden
   *     2000000000"}
   * @param batchOption how the batch size was given, e.g. {@code "--batch-size 128"}
   * @param stepsOption how the steps per run were given, e.g. {@code "--steps-per-run 64"}
   * @throws IllegalArgumentException when the run cannot fit
   */
  public void check(
      long availableBytes, String hiddenOption, String batchOption, String stepsOption) {
    if (evaluationFloats > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException(
          "evaluating a split of "
              + evaluationFloats
              + " pixels in one run needs more floats than a Java array holds (2^31); use"
              + " smaller splits (--validation-size, a smaller test file)");
    }
    long total = totalBytes();
    if (total <= availableBytes) {
      return;
    }
    String culprit = culprit(hiddenOption, batchOption, stepsOption);
    throw new IllegalArgumentException(
        culprit
            + "; the run needs about "
            + bytes(total)
            + " in all, more than the "
            + bytes(availableBytes)
            + (AddressSpace.left() <= availableBytes && availableBytes < physicalBytes()
                ? " of address space the limit (ulimit -v) leaves once TensorFlow is loaded"
                : " of memory of this machine"));
  }

  /** The option whose share of the estimate is largest, and what it takes. */
  private String culprit(String hiddenOption, String batchOption, String stepsOption) {
    // the option whose share is largest; the layer widths drive both weights and activations
    long network = add(parameterBytes, activationBytes);
    long largest =
        Math.max(
            Math.max(Math.max(network, stepBytes), Math.max(dataBytes, evaluationBytes)),
            graphBytes);
    if (largest == graphBytes) {
      return "--hidden's "
          + (graphLayers - 1)
          + " layers: the training graph holds its "
          + graphLayers
          + " layers "
          + (graphCopies == 1
              ? "once"
              : graphCopies + " times (the step and " + stepsOption + "'s unrolled steps)")
          + " and needs "
          + bytes(graphBytes)
          + " to build, optimize and run it ("
          + bytes(GRAPH_BYTES_PER_LAYER_STEP)
          + " per layer and copy)";
    } else if (largest == network) {
      return hiddenOption
          + ": the network's weights and their gradients need "
          + bytes(parameterBytes)
          + " and its activations on the split evaluated in one run "
          + bytes(activationBytes);
    } else if (largest == stepBytes) {
      return (stepsOption != null ? batchOption + " with " + stepsOption : batchOption)
          + ": one training run's tensors need "
          + bytes(stepBytes);
    } else if (largest == dataBytes) {
      return (stepsOption != null ? stepsOption : "--steps-per-run")
          + ": the training split held in the graph needs "
          + bytes(dataBytes)
          + ("--jit-compile".equals(stepsOption)
              ? " (without --jit-compile, --steps-per-run 1 keeps it out of the graph)"
              : " (--steps-per-run 1 keeps it out of the graph)");
    } else {
      return "the validation or test split fed in one run for evaluation needs "
          + bytes(evaluationBytes);
    }
  }

  /**
   * Estimates the memory of training {@code hidden} on {@code sets} and refuses it when it exceeds
   * the machine's ({@link #availableBytes()}), naming the option that takes the most.
   *
   * @param stepsPerRun steps per {@code Session.run} (1 for the plain loop)
   * @param sets the training, validation and test splits; their sizes and image size are used
   * @param hidden the hidden layer widths ({@code --hidden})
   * @param batchSize examples per step ({@code --batch-size})
   * @throws IllegalArgumentException naming {@code --hidden}, {@code --batch-size} or {@code
   *     --steps-per-run} when the run cannot fit
   */
  public static void checkFits(
      MnistDataSets sets, List<Integer> hidden, int batchSize, int stepsPerRun) {
    checkFits(sets, hidden, batchSize, stepsPerRun, false);
  }

  /**
   * As above; {@code whileLoop} for {@code --jit-compile}'s loop, whose memory does not grow with
   * the steps per run (see {@link #estimate(int, List, int, int, boolean, int, int)}).
   *
   * @param sets the training, validation and test splits; their sizes and image size are used
   * @param hidden the hidden layer widths ({@code --hidden})
   * @param batchSize examples per step ({@code --batch-size})
   * @param stepsPerRun steps per {@code Session.run} ({@code --steps-per-run}; 1 for the plain
   *     loop)
   * @param whileLoop true for {@code --jit-compile}'s loop, named in the message instead of {@code
   *     --steps-per-run}
   * @throws IllegalArgumentException naming {@code --hidden}, {@code --batch-size}, {@code
   *     --steps-per-run} or {@code --jit-compile} when the run cannot fit
   */
  public static void checkFits(
      MnistDataSets sets, List<Integer> hidden, int batchSize, int stepsPerRun, boolean whileLoop) {
    StringBuilder widths = new StringBuilder();
    for (int h : hidden) {
      widths.append(widths.length() == 0 ? "" : ",").append(h);
    }
    estimate(
            sets.train().imageSize(),
            hidden,
            batchSize,
            stepsPerRun,
            whileLoop,
            sets.train().numExamples(),
            Math.max(sets.validation().numExamples(), sets.test().numExamples()))
        .check(
            availableBytes(),
            "--hidden " + widths,
            "--batch-size " + batchSize,
            whileLoop
                ? "--jit-compile"
                : stepsPerRun > 1 ? "--steps-per-run " + stepsPerRun : null);
  }

  /**
   * The memory a run may use: the machine's physical memory (or the container's limit), as the JVM
   * sees it, or the address space left under {@code ulimit -v} once TensorFlow is loaded ({@link
   * AddressSpace}) where that is less.
   *
   * @return bytes: the smaller of the physical memory (the JVM's {@code -Xmx} where the OS does not
   *     say) and {@link AddressSpace#left()}
   */
  public static long availableBytes() {
    return Math.min(physicalBytes(), AddressSpace.left());
  }

  /** The machine's physical memory (or the container's limit), as the JVM sees it. */
  static long physicalBytes() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      long total = os.getTotalMemorySize();
      if (total > 0) {
        return total;
      }
    }
    return Runtime.getRuntime().maxMemory();
  }

  /** {@code 1.5 GiB}, {@code 23.4 TiB}, {@code 12 MiB}: a byte count for the messages. */
  static String bytes(long n) {
    if (n == Long.MAX_VALUE) {
      return "more than 8 EiB";
    }
    String[] units = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = n;
    int u = 0;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return u == 0 ? n + " bytes" : String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  /**
   * A network's parameter count (weights and biases, the 10 logits included) and the sum of its
   * layer widths (the 10 logits included), each saturating at {@link Long#MAX_VALUE}.
   */
  record LayerSizes(long parameters, long widths) {
    static LayerSizes of(int imageSize, List<Integer> hidden) {
      long parameters = 0;
      long widths = 10;
      long in = imageSize;
      for (int h : hidden) {
        parameters = add(parameters, add(mul(in, h), h));
        widths = add(widths, h);
        in = h;
      }
      return new LayerSizes(add(parameters, add(mul(in, 10), 10)), widths);
    }
  }

  /** {@code a * b} for operands {@code >= 0}, saturating at {@link Long#MAX_VALUE}. */
  static long mul(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE; // every operand is 0 or more: overflow only upwards
    }
  }

  /** {@code a + b} for operands {@code >= 0}, saturating at {@link Long#MAX_VALUE}. */
  static long add(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
