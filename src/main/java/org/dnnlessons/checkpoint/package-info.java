/**
 * Checkpoints in TensorFlow's V2 bundle format, compatible with Python's {@code tf.train.Saver}:
 * {@link org.dnnlessons.checkpoint.Saver} saves and restores graph variables by name and checks
 * every shape and dtype before assigning anything; {@link
 * org.dnnlessons.checkpoint.CheckpointReader} reads every checkpoint format in pure Java, and
 * {@link org.dnnlessons.checkpoint.TensorPrinter} prints its tensors as numpy does; {@link
 * org.dnnlessons.checkpoint.CheckpointException} is the one checked exception for every checkpoint
 * problem, carrying the file, the offset and the reason.
 *
 * <p>Knows nothing of training or data.
 */
package org.dnnlessons.checkpoint;
