package org.dnnlessons.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dnnlessons.checkpoint.CheckpointTensor;
import org.dnnlessons.checkpoint.TensorInfo;
import org.dnnlessons.keras.MlpWeights;
import org.dnnlessons.nn.ModelDescription;
import org.tensorflow.proto.DataType;

/** Lesson-named MLP weights made in memory (no TensorFlow), for the writers' tests. */
public final class LessonWeights {

  private LessonWeights() {}

  /** A 784-{@code hidden}-10 MLP whose i-th value of each tensor is {@code i * 0.001}. */
  public static MlpWeights of(int hidden) {
    Map<String, CheckpointTensor> t = new LinkedHashMap<>();
    t.put("hidden_layer/weights", floats("hidden_layer/weights", 784, hidden));
    t.put("hidden_layer/biases", floats("hidden_layer/biases", hidden));
    t.put("out/weights", floats("out/weights", hidden, 10));
    t.put("out/biases", floats("out/biases", 10));
    Map<String, String> names = new LinkedHashMap<>();
    t.keySet().forEach(k -> names.put(k, k));
    return new MlpWeights(
        Path.of("test"),
        MlpWeights.Format.LESSON_CHECKPOINT,
        ModelDescription.lesson(List.of(hidden)),
        t,
        names,
        List.of());
  }

  private static CheckpointTensor floats(String name, long... shape) {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(n * 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      b.putFloat(i * 0.001f);
    }
    return new CheckpointTensor(new TensorInfo(name, DataType.DT_FLOAT, shape), b.array(), null);
  }
}
