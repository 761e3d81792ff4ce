/**
 * SavedModels as themselves: {@link org.dnnlessons.savedmodel.ServingGraph} reads what a serving
 * signature computes as Keras layers (pure Java, every op accounted for or refused), and {@link
 * org.dnnlessons.savedmodel.SavedModelRunner} runs the signature through TensorFlow Java's {@code
 * SavedModelBundle}, so {@code evaluate}, {@code predict} and {@code serve} compute what Python's
 * {@code tf.saved_model.load(dir).signatures["serving_default"]} computes.
 *
 * <p>Knows SavedModel protos and TensorFlow's ops; knows nothing of Keras's weight files, training
 * or the command line.
 */
package org.dnnlessons.savedmodel;
