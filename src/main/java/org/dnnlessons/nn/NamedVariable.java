package org.dnnlessons.nn;

import org.tensorflow.Operand;
import org.tensorflow.Operation;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.family.TType;

/**
 * A graph variable laid out as Python's {@code tf.Variable} lays it out in a {@code tf.compat.v1}
 * graph: a {@code VariableV2} op named {@code name}, its initializer {@code name/Assign} and its
 * read {@code name/read}.
 *
 * <p>The {@link #name()} is the variable's full op name, name scopes included (for example {@code
 * hidden_layer/weights}); it is the key the variable is saved under in a checkpoint. Python reports
 * the same variable's {@code .name} as {@code hidden_layer/weights:0}; see {@link #tensorName()}.
 *
 * @param name the full op name, e.g. {@code hidden_layer/weights}
 * @param variable the {@code VariableV2} op (a reference, for assignments and optimizers)
 * @param initializer the {@code Assign} op that sets the initial value
 * @param read the {@code Identity} op that reads the current value; use it in computations
 * @param <T> the element type
 */
public record NamedVariable<T extends TType>(
    String name, Variable<T> variable, Assign<T> initializer, Identity<T> read)
    implements Operand<T> {

  /**
   * The name Python prints for the variable's tensor: the op name followed by {@code :0}.
   *
   * @return e.g. {@code hidden_layer/weights:0}
   */
  public String tensorName() {
    return name + ":0";
  }

  /** The variable's static shape. */
  @Override
  public Shape shape() {
    return variable.shape();
  }

  /** The current value (the {@code name/read} tensor), so the record can be used as an operand. */
  @Override
  public Output<T> asOutput() {
    return read.asOutput();
  }

  /** The read op, {@code name/read}. */
  @Override
  public Operation op() {
    return read.op();
  }

  @Override
  public String toString() {
    return "NamedVariable[" + name + ", " + variable.type().getSimpleName() + shape() + "]";
  }
}
