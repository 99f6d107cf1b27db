package io.rnnstream.models.ctc;

import java.util.Arrays;

/**
 * The little binary codec of decoder states: unsigned LEB128 varints, zig-zag signed varints and
 * raw IEEE-754 doubles (bit-exact), big-endian. Readers check every bound and say what is wrong.
 */
final class StateBytes {
  private StateBytes() {}

  static final class Writer {
    private byte[] buf = new byte[64];
    private int size;

    Writer u8(int v) {
      ensure(1);
      buf[size++] = (byte) v;
      return this;
    }

    /** Unsigned varint of a non-negative long. */
    Writer varLong(long v) {
      if (v < 0) {
        throw new IllegalArgumentException("negative varint " + v);
      }
      ensure(10);
      while ((v & ~0x7FL) != 0) {
        buf[size++] = (byte) ((v & 0x7F) | 0x80);
        v >>>= 7;
      }
      buf[size++] = (byte) v;
      return this;
    }

    /** Zig-zag signed varint. */
    Writer zigLong(long v) {
      return varLong((v << 1) ^ (v >> 63)); // |v| < 2^62: non-negative
    }

    Writer f64(double v) {
      ensure(8);
      long bits = Double.doubleToRawLongBits(v);
      for (int i = 7; i >= 0; i--) {
        buf[size++] = (byte) (bits >>> (8 * i));
      }
      return this;
    }

    byte[] toBytes() {
      return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
      }
    }
  }

  static final class Reader {
    private final byte[] buf;
    private final String what;
    private int pos;

    Reader(byte[] buf, String what) {
      if (buf == null) {
        throw new IllegalArgumentException(what + ": bytes must not be null");
      }
      this.buf = buf;
      this.what = what;
    }

    int u8() {
      need(1);
      return buf[pos++] & 0xFF;
    }

    long varLong() {
      long v = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        int b = u8();
        v |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          if (v < 0) {
            break;
          }
          return v;
        }
      }
      throw corrupt("bad varint at byte " + pos);
    }

    /** A varint that must lie in {@code [0, max]}; {@code name} goes into the error message. */
    int varInt(String name, int max) {
      long v = varLong();
      if (v > max) {
        throw corrupt(name + " = " + v + " exceeds " + max);
      }
      return (int) v;
    }

    long zigLong() {
      long v = varLong();
      return (v >>> 1) ^ -(v & 1);
    }

    double f64() {
      need(8);
      long bits = 0;
      for (int i = 0; i < 8; i++) {
        bits = (bits << 8) | (buf[pos++] & 0xFF);
      }
      return Double.longBitsToDouble(bits);
    }

    /** Bytes not read yet (bounds counts before anything is allocated for them). */
    int remaining() {
      return buf.length - pos;
    }

    void end() {
      if (pos != buf.length) {
        throw corrupt((buf.length - pos) + " trailing bytes");
      }
    }

    IllegalArgumentException corrupt(String reason) {
      return new IllegalArgumentException(what + ": corrupt state bytes: " + reason);
    }

    private void need(int n) {
      if (pos + n > buf.length) {
        throw corrupt("truncated at byte " + pos + " of " + buf.length);
      }
    }
  }
}
