/**
 * {@code dnn-lessons serve}: the trained network answers over HTTP with TensorFlow Serving's REST
 * API ({@code GET /v1/models/NAME}, {@code .../metadata}, {@code POST .../NAME:predict}, {@code
 * :classify}) and a drawing page at {@code /}.
 *
 * <p>{@link org.dnnlessons.serve.ServedModel} is what the HTTP front asks: images in, probabilities
 * out, with a version. {@link org.dnnlessons.serve.ModelManager} holds the served one and swaps in
 * a newer one atomically (readers never see a half-loaded or closed model); {@link
 * org.dnnlessons.serve.CheckpointSource} finds newer checkpoints as training writes them. The
 * package knows requests and versions; file formats stay behind {@link
 * org.dnnlessons.serve.ServedModel.Loader}.
 */
package org.dnnlessons.serve;
