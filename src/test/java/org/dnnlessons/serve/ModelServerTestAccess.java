package org.dnnlessons.serve;

/** Package-private helpers of the serve package, for tests in other packages. */
public final class ModelServerTestAccess {

  /** {@code tf.argmax} of one row of probabilities. */
  public static int argmax(float[] row) {
    return ModelServer.argmax(row);
  }

  private ModelServerTestAccess() {}
}
