/**
 * Graph building blocks that mirror Python TensorFlow's ops: {@link org.dnnlessons.nn.ModelGraph}
 * (graph seed, named variables, the global initializer), {@link org.dnnlessons.nn.Initializers},
 * {@link org.dnnlessons.nn.Layers} ({@code xW + b}, ReLU) and {@link org.dnnlessons.nn.Dropout}.
 *
 * <p>Every block is composed of the same TensorFlow ops as its Python counterpart, with Python's
 * seed rules ({@link org.dnnlessons.nn.OpSeed}), so equal seeds and inputs give equal numbers in
 * both languages. Variables always carry explicit names inside name scopes, because those names are
 * the keys of every checkpoint.
 *
 * <p>Knows nothing of files or the command line.
 */
package org.dnnlessons.nn;
