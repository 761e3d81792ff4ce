package org.dnnlessons.checkpoint;

import java.io.ByteArrayOutputStream;

/**
 * TensorFlow's order-preserving key encoding ({@code core/lib/strings/ordered_code.cc}), as far as
 * the keys of tensor slices use it: unsigned numbers (a length byte, then big-endian bytes without
 * leading zeros), strings (bytes 0x00 and 0xff escaped as 0x00 0xff and 0xff 0x00, ended by 0x00
 * 0x01) and signed numbers (a sign bit, then as many further 1 bits (for non-negative numbers) as
 * the encoding has extra bytes, then the value: one byte holds -64 to 63).
 */
final class OrderedCode {

  private OrderedCode() {}

  static void writeNumIncreasing(ByteArrayOutputStream out, long value) {
    int len = (64 - Long.numberOfLeadingZeros(value) + 7) / 8;
    out.write(len);
    for (int i = len - 1; i >= 0; i--) {
      out.write((int) (value >>> (8 * i)));
    }
  }

  static void writeString(ByteArrayOutputStream out, byte[] s) {
    for (byte b : s) {
      out.write(b);
      if (b == 0) {
        out.write(0xff);
      } else if (b == (byte) 0xff) {
        out.write(0);
      }
    }
    out.write(0);
    out.write(1);
  }

  static void writeSignedNumIncreasing(ByteArrayOutputStream out, long value) {
    long x = value < 0 ? ~value : value;
    int len = (64 - Long.numberOfLeadingZeros(x)) / 7 + 1; // n bytes hold 7n - 1 value bits
    if (len == 1) {
      out.write((int) (0x80 ^ value) & 0xFF);
      return;
    }
    byte[] buf = new byte[10];
    byte sign = (byte) (value < 0 ? 0xff : 0);
    buf[0] = sign;
    buf[1] = sign;
    for (int i = 0; i < 8; i++) {
      buf[2 + i] = (byte) (value >>> (56 - 8 * i));
    }
    int begin = 10 - len;
    // header: the sign bit and len - 1 further size bits, then a delimiter bit, over 1 or 2 bytes
    int header = len <= 8 ? (0xFF00 >>> len) & 0xFF : 0xFF;
    int header2 = len <= 8 ? 0 : (0xFF00 >>> (len - 8)) & 0xFF;
    buf[begin] ^= (byte) header;
    buf[begin + 1] ^= (byte) header2;
    out.write(buf, begin, len);
  }

  /** Reads encoded values from {@code b} between {@code pos} and {@code limit}. */
  static final class Reader {
    private final byte[] b;
    private int pos;
    private final int limit;

    Reader(byte[] b) {
      this.b = b;
      this.pos = 0;
      this.limit = b.length;
    }

    boolean atEnd() {
      return pos == limit;
    }

    /** An unsigned number, or -1 when none is here. */
    long readNumIncreasing() {
      if (pos >= limit) {
        return -1;
      }
      int len = b[pos] & 0xFF;
      if (len > 8 || len > limit - pos - 1) {
        return -1;
      }
      long v = 0;
      for (int i = 0; i < len; i++) {
        v = (v << 8) | (b[pos + 1 + i] & 0xFF);
      }
      pos += 1 + len;
      return v < 0 ? -1 : v;
    }

    /** A string, or {@code null} when none is here. */
    byte[] readString() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int p = pos;
      while (p + 1 < limit) {
        int c = b[p] & 0xFF;
        if (c == 0) {
          int next = b[p + 1] & 0xFF;
          if (next == 1) {
            pos = p + 2;
            return out.toByteArray();
          } else if (next != 0xff) {
            return null;
          }
          out.write(0);
          p += 2;
        } else if (c == 0xff) {
          if ((b[p + 1] & 0xFF) != 0) {
            return null;
          }
          out.write(0xff);
          p += 2;
        } else {
          out.write(c);
          p++;
        }
      }
      return null;
    }

    /** A signed number; {@code ok[0]} is false when none is here. */
    long readSignedNumIncreasing(boolean[] ok) {
      ok[0] = false;
      if (pos >= limit) {
        return 0;
      }
      boolean negative = (b[pos] & 0x80) == 0;
      int flip = negative ? 0xff : 0;
      int first = (b[pos] & 0xFF) ^ flip;
      int len;
      if (first != 0xff) {
        len = leadingOnes(first);
      } else {
        if (limit - pos < 2) {
          return 0;
        }
        int second = (b[pos + 1] & 0xFF) ^ flip;
        if (second < 0x80) {
          len = 8;
        } else if (second < 0xc0) {
          len = 9;
        } else if (second == 0xc0 && limit - pos >= 3 && ((b[pos + 2] & 0xFF) ^ flip) < 0x80) {
          len = 10;
        } else {
          return 0; // longer than 10 bytes, or more than 63 value bits
        }
      }
      if (len > limit - pos) {
        return 0;
      }
      long x = negative ? -1L : 0L;
      for (int i = Math.max(0, len - 8); i < len; i++) {
        x = (x << 8) | (b[pos + i] & 0xFF);
      }
      x ^= headerMask(len);
      pos += len;
      ok[0] = true;
      return x;
    }

    private static int leadingOnes(int byteValue) {
      return Integer.numberOfLeadingZeros(~byteValue & 0xFF) - 24;
    }

    /** The header bits of a {@code len}-byte encoding that fall in its low 64 bits. */
    private static long headerMask(int len) {
      if (len <= 8) {
        return ((1L << len) - 1) << (7 * len);
      }
      return len == 9 ? Long.MIN_VALUE : 0;
    }
  }
}
