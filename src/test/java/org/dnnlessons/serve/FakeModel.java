package org.dnnlessons.serve;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model whose answer is known without TensorFlow: class {@code floor(sum of pixels) mod 10} has
 * probability 1, the others 0. It fails any call after {@link #close}, and counts its closes.
 */
final class FakeModel implements ServedModel {

  final long version;
  final AtomicBoolean closed = new AtomicBoolean();
  final AtomicInteger closes = new AtomicInteger();

  FakeModel(long version) {
    this.version = version;
  }

  /** The class this model gives an image. */
  static int classOf(float[] image) {
    double sum = 0;
    for (float v : image) {
      sum += v;
    }
    return (int) Math.floor(sum) % 10;
  }

  @Override
  public float[][] predict(float[][] images) {
    if (closed.get()) {
      throw new IllegalStateException("predict on a closed model (version " + version + ")");
    }
    float[][] p = new float[images.length][CLASSES];
    for (int i = 0; i < images.length; i++) {
      if (images[i].length != PIXELS) {
        throw new IllegalArgumentException("image of " + images[i].length + " pixels");
      }
      p[i][classOf(images[i])] = 1;
    }
    return p;
  }

  @Override
  public long version() {
    return version;
  }

  @Override
  public String source() {
    return "fake-" + version;
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    closed.set(true);
  }
}
