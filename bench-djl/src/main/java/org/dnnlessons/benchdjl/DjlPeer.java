package org.dnnlessons.benchdjl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The DJL (PyTorch engine) peer of {@code bench}: the lesson's network (784-256-10, float32, plain
 * gradient descent at 0.001, mean softmax cross-entropy) written as a DJL user writes it, served
 * over {@code bench.py --serve}'s line protocol so that {@code bench} interleaves it with the other
 * rows.
 *
 * <p>The step: NDArray operations recorded by a {@link GradientCollector}, {@link
 * Loss#softmaxCrossEntropyLoss()} on integer labels, and DJL's own {@link Optimizer#sgd()} update,
 * in place (the call {@code Trainer.step()} makes; on PyTorch it also zeroes the gradient, which
 * PyTorch otherwise accumulates). Each step's intermediate arrays live in an {@link NDScope}. It is
 * the PyTorch eager row's program in Java: forward, autograd, in-place SGD update.
 *
 * <p>Requests, one a line on standard input; answers on standard output ({@code ready} first):
 *
 * <pre>
 * train djl BATCH STEPS               -> time djl BATCH SECONDS
 * check djl BATCH WEIGHTS INDICES     -> loss djl BATCH VALIDATION_LOSS
 * describe djl                        -> describe djl DJL x.y (PyTorch v, N threads)
 * quit (or end of input)
 * </pre>
 *
 * <p>{@code WEIGHTS}: raw little-endian float32, W1 [784,256], W2 [256,10], b1 [256], b2 [10];
 * {@code INDICES}: raw little-endian int32 into the training split, one batch after another. A
 * request it cannot read ends it with one line on standard error and status 2.
 *
 * <p>Arguments: {@code --data DIR} (default {@code data/mnist}). PyTorch's intra-op threads: {@code
 * -Dai.djl.pytorch.num_threads}, else the machine's processors.
 */
public final class DjlPeer {

  /** The one peer name this program serves. */
  static final String NAME = "djl";

  static final float LEARNING_RATE = 0.001f;

  private final Digits digits;
  private final NDManager manager;
  private final NDArray trainX;
  private final NDArray trainY;
  private final NDArray validX;
  private final NDArray validY;
  private final Map<Integer, Network> networks = new HashMap<>();

  DjlPeer(Digits digits, NDManager manager) {
    this.digits = digits;
    this.manager = manager;
    this.trainX = manager.create(digits.trainImages(), new Shape(digits.trainCount(), 784));
    this.trainY = manager.create(digits.trainLabels());
    this.validX =
        manager.create(digits.validationImages(), new Shape(digits.validationCount(), 784));
    this.validY = manager.create(digits.validationLabels());
  }

  /** The network of one batch size: its four parameters, its optimizer and its sampler. */
  final class Network {
    final NDArray w1;
    final NDArray w2;
    final NDArray b1;
    final NDArray b2;
    private final NDArray[] params;
    private final Optimizer sgd =
        Optimizer.sgd().setLearningRateTracker(Tracker.fixed(LEARNING_RATE)).build();
    private final Sampler sampler;

    Network(int batch) {
      w1 = manager.randomNormal(new Shape(784, 256));
      w2 = manager.randomNormal(new Shape(256, 10));
      b1 = manager.randomNormal(new Shape(256));
      b2 = manager.randomNormal(new Shape(10));
      params = new NDArray[] {w1, w2, b1, b2};
      for (NDArray p : params) {
        p.setRequiresGradient(true);
      }
      sampler = new Sampler(digits.trainCount(), batch, 1L);
    }

    NDArray logits(NDArray x) {
      NDArray h = Activation.relu(x.matMul(w1).add(b1));
      return h.matMul(w2).add(b2);
    }

    /** One step of gradient descent on the training rows {@code rows} (int64). */
    void step(NDArray rows) {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        NDArray x = trainX.get(rows);
        NDArray y = trainY.get(rows);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          NDArray cost =
              Loss.softmaxCrossEntropyLoss().evaluate(new NDList(y), new NDList(logits(x)));
          gc.backward(cost);
        }
        for (int i = 0; i < params.length; i++) {
          sgd.update("p" + i, params[i], params[i].getGradient());
        }
      }
    }

    /** {@code steps} steps on batches from the sampler. */
    void run(int steps) {
      for (int s = 0; s < steps; s++) {
        try (NDArray rows = manager.create(sampler.next())) {
          step(rows);
        }
      }
    }

    /** Sets the parameters from {@code values} (W1, W2, b1, b2, flat). */
    void set(float[][] values) {
      for (int i = 0; i < params.length; i++) {
        params[i].set(values[i]);
      }
    }

    /** The mean cross-entropy on the validation split. */
    float validationLoss() {
      try (NDScope scope = new NDScope()) {
        scope.suppressNotUsedWarning();
        return Loss.softmaxCrossEntropyLoss()
            .evaluate(new NDList(validY), new NDList(logits(validX)))
            .getFloat();
      }
    }
  }

  Network network(int batch) {
    return networks.computeIfAbsent(batch, Network::new);
  }

  /** Trains {@code steps} steps at {@code batch}; the seconds they took. */
  double train(int batch, int steps) {
    Network n = network(batch);
    long start = System.nanoTime();
    n.run(steps);
    return (System.nanoTime() - start) / 1e9;
  }

  /**
   * Sets the weights at {@code batch}, trains one step per batch of {@code indices}, and returns
   * the validation loss after them.
   */
  float check(int batch, float[][] weights, int[] indices) {
    if (indices.length % batch != 0) {
      throw new IllegalArgumentException(
          indices.length + " indices are not whole batches of " + batch);
    }
    Network n = network(batch);
    n.set(weights);
    for (int at = 0; at < indices.length; at += batch) {
      long[] rows = new long[batch];
      for (int i = 0; i < batch; i++) {
        int r = indices[at + i];
        if (r < 0 || r >= digits.trainCount()) {
          throw new IllegalArgumentException(
              "index "
                  + r
                  + " is outside the training split (0-"
                  + (digits.trainCount() - 1)
                  + ")");
        }
        rows[i] = r;
      }
      try (NDArray a = manager.create(rows)) {
        n.step(a);
      }
    }
    return n.validationLoss();
  }

  /** The runtime, for the benchmark's header. */
  static String describe() {
    Engine engine = Engine.getInstance();
    return String.format(
        Locale.ROOT,
        "DJL %s (PyTorch %s, %d threads)",
        Engine.getDjlVersion(),
        engine.getVersion(),
        JniUtils.getNumThreads());
  }

  /** Answers {@code requests} until {@code quit} or their end. */
  void serve(BufferedReader requests, PrintStream answers) throws IOException {
    answers.println("ready");
    answers.flush();
    for (String line; (line = requests.readLine()) != null; ) {
      String[] w = line.trim().split("\\s+");
      if (w[0].isEmpty()) {
        continue;
      }
      if (w[0].equals("quit")) {
        return;
      }
      answers.println(Protocol.answer(this, w));
      answers.flush();
    }
  }

  public static void main(String[] args) throws Exception {
    Path data = Path.of("data", "mnist");
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--data") && i + 1 < args.length) {
        data = Path.of(args[++i]);
      } else {
        System.err.println("bench-djl: unknown argument " + args[i] + " (expected --data DIR)");
        System.exit(2);
      }
    }
    // PyTorch's intra-op pool as a DJL user sizes it: one thread per processor, unless given.
    if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
      System.setProperty(
          "ai.djl.pytorch.num_threads",
          Integer.toString(Runtime.getRuntime().availableProcessors()));
    }
    // PyTorch comes from the native jar on the class path; never from the network.
    System.setProperty("ai.djl.offline", "true");
    Digits digits;
    try {
      digits = Digits.read(data);
    } catch (IOException e) {
      System.err.println("bench-djl: " + e.getMessage());
      System.exit(2);
      return;
    }
    Engine.getInstance().setRandomSeed(1);
    try (NDManager manager = NDManager.newBaseManager()) {
      DjlPeer peer = new DjlPeer(digits, manager);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      peer.serve(in, System.out);
    } catch (Protocol.BadRequest e) {
      System.err.println("bench-djl: " + e.getMessage());
      System.exit(2);
    }
  }
}
