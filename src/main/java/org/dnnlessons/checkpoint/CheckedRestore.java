package org.dnnlessons.checkpoint;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.family.TType;

/**
 * A {@link Saver}'s restore: every key, dtype and shape checked against the checkpoint's index
 * before anything is assigned, then one run that assigns every variable, from tensors the pure-Java
 * reader filled or through {@code RestoreV2}; retried while a save replaces the checkpoint ({@link
 * RacingReads}). Python's {@code Saver.restore} runs {@code restore_all} and lets TensorFlow fail;
 * its messages, when one still comes, are explained by {@link TensorFlowFailures}.
 */
final class CheckedRestore {

  private final SaverOps ops;

  CheckedRestore(SaverOps ops) {
    this.ops = ops;
  }

  /**
   * Restores every variable from {@code prefix}, reading again while a save is replacing it.
   *
   * @throws CheckpointException as {@link Saver#restore} says; nothing is assigned then
   */
  void restore(Session session, String prefix) throws CheckpointException {
    RacingReads.retry(
        Path.of(prefix),
        () -> {
          restoreOnce(session, prefix);
          return null;
        });
  }

  private void restoreOnce(Session session, String prefix) throws CheckpointException {
    Path path = Path.of(prefix);
    CheckpointReader reader = CheckpointReader.open(path);
    check(path, reader);
    if (restoreFromJava(session, reader)) {
      return;
    }
    // One run: RestoreV2 reads everything before any Assign runs, so a data error assigns nothing.
    // The reader's prefix: the recovery set's while the prefix is being overwritten.
    try {
      ops.runRestoreV2(session, reader.prefix().toString());
    } catch (RuntimeException e) {
      // TensorFlow reports run failures as TensorFlowException or IllegalArgumentException
      throw new CheckpointException(
          path,
          CheckpointException.NO_OFFSET,
          TensorFlowFailures.explainRestore(e.getMessage()),
          e);
    }
  }

  /** Checks every key, dtype and shape against the index, without touching the session. */
  private void check(Path path, CheckpointReader reader) throws CheckpointException {
    List<String> keys = ops.keys();
    for (int i = 0; i < keys.size(); i++) {
      String key = keys.get(i);
      if (!reader.contains(key)) {
        throw new CheckpointException(
            path,
            CheckpointException.NO_OFFSET,
            "no tensor named '"
                + key
                + "' in the checkpoint"
                + reader.closestNames(key)
                + " (variables are matched by name)");
      }
      TensorInfo saved = reader.info(key);
      DataType wanted = SaverOps.baseType(ops.variables().get(i).dataType());
      if (saved.dtype() != wanted) {
        throw mismatch(
            path,
            "dtype",
            key,
            "holds " + saved.numpyType(),
            "is " + new TensorInfo(key, wanted, new long[0]).numpyType());
      }
      Shape graphShape = ops.variables().get(i).shape();
      if (!graphShape.isCompatibleWith(Shape.of(saved.shape()))) {
        throw mismatch(
            path,
            "shape",
            key,
            "holds " + describe(Shape.of(saved.shape())),
            "has " + describe(graphShape));
      }
    }
  }

  private static CheckpointException mismatch(
      Path path, String what, String key, String saved, String graph) {
    return new CheckpointException(
        path,
        CheckpointException.NO_OFFSET,
        what
            + " mismatch for variable '"
            + key
            + "': the checkpoint "
            + saved
            + ", the graph's variable "
            + graph);
  }

  /**
   * Restores through the pure-Java reader: every saved tensor is read straight into the memory of a
   * new tensor and its checksum verified there ({@link CheckpointReader#readInto}), then one run
   * assigns them all. It does what {@code RestoreV2} does, about twice as fast: TensorFlow's own
   * reader copies every byte once more and checks it with a slower CRC32C. All tensors are read and
   * checked before the run, so a corrupt file assigns nothing.
   *
   * @return false, having changed nothing, when a variable's dtype has no fixed element size
   *     (strings) or no TensorFlow Java type (int8, int16, uint32, uint64), or a tensor's memory is
   *     not native: the caller then uses {@code RestoreV2}
   */
  private boolean restoreFromJava(Session session, CheckpointReader reader)
      throws CheckpointException {
    List<Class<? extends TType>> types = ops.fixedSizeTypes();
    if (types == null) {
      return false;
    }
    List<String> keys = ops.keys();
    List<Tensor> tensors = new ArrayList<>();
    try {
      for (int i = 0; i < keys.size(); i++) {
        TensorInfo saved = reader.info(keys.get(i));
        Tensor t = Tensor.of(types.get(i), Shape.of(saved.shape()));
        tensors.add(t);
        ByteBuffer memory = TensorMemory.of(t);
        if (memory == null) {
          return false;
        }
        reader.readInto(keys.get(i), memory);
      }
      ops.runFedAssigns(session, tensors);
      return true;
    } catch (RuntimeException e) {
      // TensorFlow reports run failures as TensorFlowException or IllegalArgumentException
      throw new CheckpointException(
          reader.prefix(),
          CheckpointException.NO_OFFSET,
          TensorFlowFailures.explainRestore(e.getMessage()),
          e);
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** "shape [2, 3]" or "a scalar". */
  private static String describe(Shape shape) {
    return shape.numDimensions() == 0 ? "a scalar" : "shape " + Arrays.toString(shape.asArray());
  }
}
