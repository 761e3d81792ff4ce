package org.dnnlessons.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * TensorFlow's ordered code as slice keys use it: the examples of {@code ordered_code.cc}, order
 * preserved, and every encoding read back.
 */
class OrderedCodeTest {

  private static byte[] signed(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OrderedCode.writeSignedNumIncreasing(out, v);
    return out.toByteArray();
  }

  @Test
  void theExamplesOfOrderedCodeCc() {
    assertEquals("f0424242", HexFormat.of().formatHex(signed(0x424242)));
    assertEquals("3800", HexFormat.of().formatHex(signed(-0x800)));
    assertEquals("80", HexFormat.of().formatHex(signed(0)));
    assertEquals("7f", HexFormat.of().formatHex(signed(-1)));
  }

  @Test
  void signedNumbersReadBackAndKeepTheirOrder() {
    Random random = new Random(7);
    long[] values = new long[2000];
    for (int i = 0; i < values.length; i++) {
      int bits = random.nextInt(64);
      values[i] = random.nextLong() >> bits;
    }
    values[0] = Long.MIN_VALUE;
    values[1] = Long.MAX_VALUE;
    values[2] = 63;
    values[3] = 64;
    values[4] = -64;
    values[5] = -65;
    for (int i = 0; i < values.length; i++) {
      byte[] a = signed(values[i]);
      OrderedCode.Reader r = new OrderedCode.Reader(a);
      boolean[] ok = {false};
      assertEquals(values[i], r.readSignedNumIncreasing(ok), "value " + values[i]);
      assertTrue(ok[0] && r.atEnd(), "value " + values[i]);
      if (i > 0) {
        byte[] b = signed(values[i - 1]);
        assertEquals(
            Long.signum(Long.compare(values[i], values[i - 1])),
            Integer.signum(java.util.Arrays.compareUnsigned(a, b)),
            values[i] + " vs " + values[i - 1]);
      }
    }
  }

  @Test
  void sliceKeysReadBack() {
    TensorSlice slice = new TensorSlice(new long[] {0, 4, 0}, new long[] {-1, 3, -1});
    byte[] key = slice.key("scope/w\u0000\u00ff");
    TensorSlice.Key decoded = TensorSlice.decode(key);
    assertArrayEquals(
        "scope/w\u0000\u00ff".getBytes(java.nio.charset.StandardCharsets.UTF_8), decoded.name());
    assertEquals(slice, decoded.slice());
    assertEquals("-:4,3:-", slice.toString());
    assertNull(TensorSlice.decode("w".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    assertNull(TensorSlice.decode(java.util.Arrays.copyOf(key, key.length - 1)));
  }
}
