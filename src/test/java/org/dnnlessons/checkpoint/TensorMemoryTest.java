package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

class TensorMemoryTest {

  @Test
  void bytesWrittenThroughTheViewAreTheTensorsValues() {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(2, 3))) {
      ByteBuffer view = TensorMemory.of(t);
      assertNotNull(view, "a tensor TensorFlow allocated lives in native memory");
      assertTrue(view.isDirect());
      assertEquals(0, view.position());
      assertEquals(24, view.limit());
      view.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(new float[] {1, 2, 3, 4, 5, -6.5f});
      assertEquals(-6.5f, t.getFloat(1, 2));
      assertEquals(4f, t.getFloat(1, 0));
    }
  }

  @Test
  void theViewCoversExactlyTheTensorsBytes() {
    try (TInt64 t = TInt64.tensorOf(Shape.of(5))) {
      t.setLong(Long.MIN_VALUE, 4);
      ByteBuffer view = TensorMemory.of(t);
      assertEquals(40, view.remaining());
      assertEquals(Long.MIN_VALUE, view.order(ByteOrder.LITTLE_ENDIAN).getLong(32));
    }
  }

  @Test
  void anEmptyTensorGivesAnEmptyBuffer() {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(0, 2))) {
      ByteBuffer view = TensorMemory.of(t);
      assertNotNull(view);
      assertEquals(0, view.remaining());
    }
  }
}
