/**
 * Keras 3 models in and out of the lesson's MLP: {@link org.dnnlessons.keras.MlpWeights#read} opens
 * any supported file (the project's checkpoints, TF2 object checkpoints, SavedModels, {@code
 * .weights.h5}, {@code .keras}) and maps a Keras model's Dense layers onto the lesson's names
 * ({@code hidden_layer/weights}, ..., {@code out/biases}), handing plain tensors to {@code
 * checkpoint} and {@code nn}.
 *
 * <p>Knows Keras's layouts so that {@code checkpoint} does not; knows nothing of training or the
 * command line.
 */
package org.dnnlessons.keras;
