package org.dnnlessons.train;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.dnnlessons.checkpoint.Saver;
import org.dnnlessons.data.DataSource;
import org.dnnlessons.keras.KerasExport;
import org.dnnlessons.nn.Mlp;

/**
 * What a {@link TrainingRun} trains and where it writes, in groups: the data and seed, the network
 * ({@link Mlp.Options}), the loop ({@link TrainOptions}), how the steps run ({@link Speed}), how
 * the variables start ({@link Start}), the checkpoints ({@link Checkpoints}) and the other files
 * ({@link Outputs}). Every group is a record set by name with {@code with...} methods:
 *
 * <pre>{@code
 * TrainingRunOptions options =
 *     TrainingRunOptions.of(DatasetCatalog.byName("mnist").locate())
 *         .withNetwork(Mlp.Options.lesson().withHidden(List.of(512)).withLearningRate(0.1))
 *         .withTraining(TrainOptions.lesson().withEpochs(5))
 *         .withSeed(1L)
 *         .withCheckpoints(Checkpoints.to(Path.of("run/model.ckpt")).withSaveEvery(1));
 * }</pre>
 *
 * @param data where the MNIST-format files come from
 * @param validationSize training images set aside for validation, or {@code null} for the data
 *     set's default (5,000 for full-size sets, 1,000 for the embedded digits)
 * @param seed the graph-level random seed and the batch shuffling seed, or {@code null}: an
 *     unseeded graph and a shuffling seed from the clock
 * @param network the network; its image size is taken from the data, its dropout from {@code
 *     training.keepProb()} and its graph seed from {@code seed}
 * @param training epochs, batch size, keep probability; validation every epoch
 * @param speed steps per {@code Session.run} and {@code --jit-compile}
 * @param start a warm start ({@code --init-from}) or {@code --resume}
 * @param checkpoints where and how often checkpoints are saved
 * @param outputs the TensorBoard log, the SavedModel, the Keras file and the plot
 */
public record TrainingRunOptions(
    DataSource data,
    Integer validationSize,
    Long seed,
    Mlp.Options network,
    TrainOptions training,
    Speed speed,
    Start start,
    Checkpoints checkpoints,
    Outputs outputs) {

  /**
   * Validates the settings that combine groups and do not need the data.
   *
   * @param data where the MNIST-format files come from, not {@code null}
   * @param validationSize training images set aside for validation, or {@code null} for the data
   *     set's default
   * @param seed the graph and shuffling seed, or {@code null}
   * @param network the network, not {@code null}
   * @param training epochs, batch size and keep probability, not {@code null}
   * @param speed steps per run and XLA; above 1 step per run and XLA only without dropout
   * @param start how the variables start; {@code resume} needs {@code checkpoints.save()} and goes
   *     without {@code initFrom}
   * @param checkpoints where and how often to save
   * @param outputs the other files to write
   * @throws IllegalArgumentException one line naming the two options that cannot be combined
   */
  public TrainingRunOptions {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(network, "network");
    Objects.requireNonNull(training, "training");
    Objects.requireNonNull(speed, "speed");
    Objects.requireNonNull(start, "start");
    Objects.requireNonNull(checkpoints, "checkpoints");
    Objects.requireNonNull(outputs, "outputs");
    if (speed.stepsPerRun() != null && speed.stepsPerRun() > 1 && training.keepProb() < 1.0) {
      throw new IllegalArgumentException(
          "--steps-per-run above 1 cannot be combined with dropout (--keep-prob "
              + training.keepProb()
              + ")");
    }
    if (speed.jitCompile() && training.keepProb() < 1.0) {
      throw new IllegalArgumentException(
          "--jit-compile cannot be combined with dropout (--keep-prob "
              + training.keepProb()
              + ")");
    }
    if (start.resume() && checkpoints.save() == null) {
      throw new IllegalArgumentException(
          "--resume needs --save PREFIX: it continues from the latest checkpoint there");
    }
    if (start.resume() && start.initFrom() != null) {
      throw new IllegalArgumentException(
          "--resume continues a run from its own checkpoints; it cannot be combined with"
              + " --init-from");
    }
  }

  /**
   * The lesson's network and loop on {@code data}, every other setting at its default: no seed, the
   * data set's validation size, fresh variables, nothing written.
   *
   * @param data where the MNIST-format files come from
   * @return the options
   */
  public static TrainingRunOptions of(DataSource data) {
    return new TrainingRunOptions(
        data,
        null,
        null,
        Mlp.Options.lesson(),
        TrainOptions.lesson(),
        Speed.DEFAULT,
        Start.FRESH,
        Checkpoints.NONE,
        Outputs.NONE);
  }

  /**
   * These options with another validation split.
   *
   * @param value training images set aside for validation, or {@code null} for the data set's
   *     default
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withValidationSize(Integer value) {
    return new TrainingRunOptions(
        data, value, seed, network, training, speed, start, checkpoints, outputs);
  }

  /**
   * These options with another seed.
   *
   * @param value the graph and shuffling seed, or {@code null} for none
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withSeed(Long value) {
    return new TrainingRunOptions(
        data, validationSize, value, network, training, speed, start, checkpoints, outputs);
  }

  /**
   * These options with another network.
   *
   * @param value the network
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withNetwork(Mlp.Options value) {
    return new TrainingRunOptions(
        data, validationSize, seed, value, training, speed, start, checkpoints, outputs);
  }

  /**
   * These options with another loop.
   *
   * @param value epochs, batch size, keep probability
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withTraining(TrainOptions value) {
    return new TrainingRunOptions(
        data, validationSize, seed, network, value, speed, start, checkpoints, outputs);
  }

  /**
   * These options with other steps per run or XLA.
   *
   * @param value steps per run and {@code --jit-compile}
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withSpeed(Speed value) {
    return new TrainingRunOptions(
        data, validationSize, seed, network, training, value, start, checkpoints, outputs);
  }

  /**
   * These options with another start.
   *
   * @param value a warm start, {@code --resume}, or {@link Start#FRESH}
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withStart(Start value) {
    return new TrainingRunOptions(
        data, validationSize, seed, network, training, speed, value, checkpoints, outputs);
  }

  /**
   * These options with other checkpoints.
   *
   * @param value where and how often to save
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withCheckpoints(Checkpoints value) {
    return new TrainingRunOptions(
        data, validationSize, seed, network, training, speed, start, value, outputs);
  }

  /**
   * These options with other outputs.
   *
   * @param value the TensorBoard log, SavedModel, Keras file and plot to write
   * @return new options; these are unchanged
   */
  public TrainingRunOptions withOutputs(Outputs value) {
    return new TrainingRunOptions(
        data, validationSize, seed, network, training, speed, start, checkpoints, value);
  }

  /**
   * The steps per run this run uses: the given value, else {@value Speed#STEPS_PER_RUN_DEFAULT}
   * ({@value Speed#JIT_STEPS_PER_RUN_DEFAULT} with {@code --jit-compile}), or 1 with dropout.
   *
   * @return the number of training steps per {@code Session.run}
   */
  public int effectiveStepsPerRun() {
    if (speed.stepsPerRun() != null) {
      return speed.stepsPerRun();
    }
    if (training.keepProb() < 1.0) {
      return 1;
    }
    return speed.jitCompile() ? Speed.JIT_STEPS_PER_RUN_DEFAULT : Speed.STEPS_PER_RUN_DEFAULT;
  }

  /**
   * How the training steps run: with the training split held in the graph, several steps per {@code
   * Session.run} ({@link GraphFedTraining}; the same weights as 1), or as an XLA-compiled {@code
   * While} loop ({@link WhileLoopTraining}).
   *
   * @param stepsPerRun training steps per {@code Session.run}, 1 to {@link
   *     TrainingMemory#MAX_STEPS_PER_RUN}, or {@code null}: {@value #STEPS_PER_RUN_DEFAULT},
   *     {@value #JIT_STEPS_PER_RUN_DEFAULT} with {@code jitCompile}, or 1 with dropout; never more
   *     than an epoch's steps
   * @param jitCompile train with {@link WhileLoopTraining}: each run's steps a {@code While} loop
   *     compiled by XLA into one executable, resource variables; the weights stay within {@link
   *     WhileLoopTraining#WEIGHT_TOLERANCE} of the exact graph's instead of bit-identical. Not with
   *     dropout
   */
  public record Speed(Integer stepsPerRun, boolean jitCompile) {

    /**
     * Steps per {@code Session.run} of the graph-fed loop when not given and there is no dropout.
     */
    public static final int STEPS_PER_RUN_DEFAULT = 8;

    /**
     * Steps per run with {@code --jit-compile}: its loop's graph holds one step whatever the
     * number, so more steps only spread a run's fixed cost thinner.
     */
    public static final int JIT_STEPS_PER_RUN_DEFAULT = TrainingMemory.MAX_STEPS_PER_RUN;

    /** The default: {@value #STEPS_PER_RUN_DEFAULT} steps per run (1 with dropout), no XLA. */
    public static final Speed DEFAULT = new Speed(null, false);

    /**
     * Validates the steps per run.
     *
     * @param stepsPerRun 1 to {@link TrainingMemory#MAX_STEPS_PER_RUN}, or {@code null} for the
     *     default
     * @param jitCompile train with {@link WhileLoopTraining} (XLA)
     * @throws IllegalArgumentException when {@code stepsPerRun} is out of range
     */
    public Speed {
      if (stepsPerRun != null
          && (stepsPerRun < 1 || stepsPerRun > TrainingMemory.MAX_STEPS_PER_RUN)) {
        throw new IllegalArgumentException(
            "--steps-per-run must be between 1 and "
                + TrainingMemory.MAX_STEPS_PER_RUN
                + " (without --jit-compile each step is unrolled into the graph, which then"
                + " takes minutes to build), found "
                + stepsPerRun);
      }
    }

    /**
     * This speed with other steps per run.
     *
     * @param value 1 to {@link TrainingMemory#MAX_STEPS_PER_RUN}, or {@code null} for the default
     * @return a new speed; this one is unchanged
     */
    public Speed withStepsPerRun(Integer value) {
      return new Speed(value, jitCompile);
    }

    /**
     * This speed with XLA on or off.
     *
     * @param value train with {@link WhileLoopTraining}
     * @return a new speed; this one is unchanged
     */
    public Speed withJitCompile(boolean value) {
      return new Speed(stepsPerRun, value);
    }
  }

  /**
   * How the variables start: freshly initialized, from another model's file where names and shapes
   * fit ({@link WarmStart}, Python's {@code tf.train.init_from_checkpoint}), or resumed from the
   * run's own latest checkpoint.
   *
   * @param initFrom warm start: a checkpoint prefix or directory, or a Keras file, whose variables
   *     the network starts from where names and shapes fit, or {@code null}
   * @param initMap checkpoint key to variable name for {@code initFrom} ({@code old=new}, or {@code
   *     old_scope/=new_scope/}); empty for matching by name alone
   * @param initConfig for a weights-only {@code initFrom} ({@code .weights.h5}, TF2 checkpoint):
   *     the model's {@code .keras} file or {@code model.to_json()}'s JSON, saying its layers; or
   *     {@code null}
   * @param resume continue the run whose latest checkpoint is in {@link Checkpoints#save()}'s
   *     directory: its weights, global step, epochs, batch order and history ({@link TrainState});
   *     {@link TrainOptions#epochs()} stays the total
   * @param widthsFromCheckpoint with {@code initFrom} or {@code resume}, take the hidden layer
   *     widths from the checkpoint instead of the network's options
   */
  public record Start(
      Path initFrom,
      Map<String, String> initMap,
      Path initConfig,
      boolean resume,
      boolean widthsFromCheckpoint) {

    /** Freshly initialized variables. */
    public static final Start FRESH = new Start(null, Map.of(), null, false, false);

    /**
     * Validates the key map.
     *
     * @param initFrom the warm start's checkpoint or Keras file, or {@code null}; not with {@code
     *     resume} (which {@link TrainingRunOptions} refuses)
     * @param initMap checkpoint key to variable name, copied ({@code null} is empty); non-empty
     *     only with {@code initFrom}
     * @param initConfig the layers of a weights-only {@code initFrom}, or {@code null}
     * @param resume continue the run whose latest checkpoint is in the save directory
     * @param widthsFromCheckpoint take the hidden widths from the checkpoint
     * @throws IllegalArgumentException when {@code initMap} is given without {@code initFrom}
     */
    public Start {
      initMap =
          Collections.unmodifiableMap(new LinkedHashMap<>(initMap != null ? initMap : Map.of()));
      if (!initMap.isEmpty() && initFrom == null) {
        throw new IllegalArgumentException("--init-map needs --init-from");
      }
    }

    /**
     * A warm start from {@code path}, matching variables by name.
     *
     * @param path a checkpoint prefix or directory, a SavedModel or a Keras file; {@code null} for
     *     {@link #FRESH}
     * @return the start
     */
    public static Start initFrom(Path path) {
      return FRESH.withInitFrom(path);
    }

    /**
     * Continuing the run saved at {@link Checkpoints#save()}.
     *
     * @return the start
     */
    public static Start resumed() {
      return FRESH.withResume(true);
    }

    /**
     * This start from another file.
     *
     * @param value the warm start's file, or {@code null}
     * @return a new start; this one is unchanged
     */
    public Start withInitFrom(Path value) {
      return new Start(value, initMap, initConfig, resume, widthsFromCheckpoint);
    }

    /**
     * This start with another key map.
     *
     * @param value checkpoint key to variable name; {@code null} or empty for matching by name
     * @return a new start; this one is unchanged
     */
    public Start withInitMap(Map<String, String> value) {
      return new Start(initFrom, value, initConfig, resume, widthsFromCheckpoint);
    }

    /**
     * This start with another config for a weights-only file.
     *
     * @param value the model's {@code .keras} file or JSON config, or {@code null}
     * @return a new start; this one is unchanged
     */
    public Start withInitConfig(Path value) {
      return new Start(initFrom, initMap, value, resume, widthsFromCheckpoint);
    }

    /**
     * This start resuming or not.
     *
     * @param value continue the run saved at {@link Checkpoints#save()}
     * @return a new start; this one is unchanged
     */
    public Start withResume(boolean value) {
      return new Start(initFrom, initMap, initConfig, value, widthsFromCheckpoint);
    }

    /**
     * This start taking the hidden widths from the checkpoint or not.
     *
     * @param value take the widths from the checkpoint instead of the network's options
     * @return a new start; this one is unchanged
     */
    public Start withWidthsFromCheckpoint(boolean value) {
      return new Start(initFrom, initMap, initConfig, resume, value);
    }
  }

  /**
   * Where and how often checkpoints are saved, as Python's {@code tf.compat.v1.train.Saver} writes
   * them.
   *
   * @param save the checkpoint prefix ({@code run/model.ckpt} writes {@code run/model.ckpt-STEP}
   *     and the {@code run/checkpoint} state file), or {@code null} for none
   * @param saveEvery also save every this many epochs (keeping the last {@value
   *     Saver#MAX_TO_KEEP_DEFAULT}); 0 saves only at the end
   * @param overwrite save into a directory that already holds another run's checkpoints
   */
  public record Checkpoints(Path save, int saveEvery, boolean overwrite) {

    /** No checkpoint. */
    public static final Checkpoints NONE = new Checkpoints(null, 0, false);

    /**
     * Validates the settings.
     *
     * @param save the checkpoint prefix, or {@code null}; needed by {@code saveEvery > 0}
     * @param saveEvery epochs between saves, {@code >= 0}; 0 saves only at the end
     * @param overwrite save into a directory that holds another run's checkpoints
     * @throws IllegalArgumentException naming the option out of range or missing
     */
    public Checkpoints {
      if (saveEvery < 0) {
        throw new IllegalArgumentException("--save-every must be 0 or more, found " + saveEvery);
      }
      if (saveEvery > 0 && save == null) {
        throw new IllegalArgumentException("--save-every needs --save");
      }
    }

    /**
     * One checkpoint at the end of training at {@code prefix}.
     *
     * @param prefix the checkpoint prefix; {@code null} for {@link #NONE}
     * @return the checkpoints
     */
    public static Checkpoints to(Path prefix) {
      return new Checkpoints(prefix, 0, false);
    }

    /**
     * These checkpoints saved at another prefix.
     *
     * @param value the checkpoint prefix, or {@code null} for none
     * @return new checkpoints; these are unchanged
     */
    public Checkpoints withSave(Path value) {
      return new Checkpoints(value, saveEvery, overwrite);
    }

    /**
     * These checkpoints saved also every {@code value} epochs.
     *
     * @param value epochs between saves, {@code >= 0}; 0 saves only at the end
     * @return new checkpoints; these are unchanged
     */
    public Checkpoints withSaveEvery(int value) {
      return new Checkpoints(save, value, overwrite);
    }

    /**
     * These checkpoints saved over another run's or not.
     *
     * @param value save into a directory that holds another run's checkpoints
     * @return new checkpoints; these are unchanged
     */
    public Checkpoints withOverwrite(boolean value) {
      return new Checkpoints(save, saveEvery, value);
    }
  }

  /**
   * The files a run writes besides checkpoints; each {@code null} for none.
   *
   * @param logdir a directory for TensorBoard event files
   * @param export a directory for a SavedModel
   * @param exportKeras a {@code .keras} file for Keras 3's {@code keras.models.load_model} ({@link
   *     KerasExport})
   * @param plot a PNG file for the learning curve
   */
  public record Outputs(Path logdir, Path export, Path exportKeras, Path plot) {

    /** Nothing written. */
    public static final Outputs NONE = new Outputs(null, null, null, null);

    /**
     * These outputs with another TensorBoard directory.
     *
     * @param value a directory for TensorBoard event files, or {@code null}
     * @return new outputs; these are unchanged
     */
    public Outputs withLogdir(Path value) {
      return new Outputs(value, export, exportKeras, plot);
    }

    /**
     * These outputs with another SavedModel directory.
     *
     * @param value a directory for a SavedModel, or {@code null}
     * @return new outputs; these are unchanged
     */
    public Outputs withExport(Path value) {
      return new Outputs(logdir, value, exportKeras, plot);
    }

    /**
     * These outputs with another Keras file.
     *
     * @param value a {@code .keras} file, or {@code null}
     * @return new outputs; these are unchanged
     */
    public Outputs withExportKeras(Path value) {
      return new Outputs(logdir, export, value, plot);
    }

    /**
     * These outputs with another plot.
     *
     * @param value a PNG file for the learning curve, or {@code null}
     * @return new outputs; these are unchanged
     */
    public Outputs withPlot(Path value) {
      return new Outputs(logdir, export, exportKeras, value);
    }
  }
}
