package io.rnnstream.models.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Per-stream state of {@link LogMelExtractor}: the samples received but not yet consumed by a full
 * frame (fewer than {@code frameLength}), an odd trailing byte of little-endian PCM16 input, and
 * counters. Small (at most {@code frameLength} floats) and serializable in a versioned binary form
 * ({@link #writeTo}, {@link #readFrom}) so a Flink operator can checkpoint it.
 *
 * <p>Binary format, version 1 (big-endian, {@link DataOutput}): {@code byte version=1, int frameLength,
 * int frameShift, long framesEmitted, long samplesAccepted, byte hasPendingByte (0|1), byte
 * pendingByte, int buffered, float[buffered] samples}.
 */
public final class LogMelState {
  /** Version written by {@link #writeTo}; {@link #readFrom} rejects others. */
  public static final int FORMAT_VERSION = 1;

  final int frameLength;
  final int frameShift;
  final float[] buffer; // samples [0, fill) are the next frame's first samples
  int fill;
  long framesEmitted;
  long samplesAccepted;
  boolean hasPendingByte;
  byte pendingByte;

  LogMelState(int frameLength, int frameShift) {
    this.frameLength = frameLength;
    this.frameShift = frameShift;
    this.buffer = new float[frameLength];
  }

  /** Frames emitted so far; the index the next frame will carry. */
  public long framesEmitted() {
    return framesEmitted;
  }

  /** Samples accepted so far (whole samples; a pending odd byte is not counted). */
  public long samplesAccepted() {
    return samplesAccepted;
  }

  /** Samples held for the next frame. */
  public int bufferedSamples() {
    return fill;
  }

  /** True when an odd byte of little-endian PCM16 input waits for its partner. */
  public boolean hasPendingByte() {
    return hasPendingByte;
  }

  public int frameLength() {
    return frameLength;
  }

  public int frameShift() {
    return frameShift;
  }

  /** Back to a fresh stream (frame index 0, nothing buffered). */
  public void reset() {
    Arrays.fill(buffer, 0f);
    fill = 0;
    framesEmitted = 0;
    samplesAccepted = 0;
    hasPendingByte = false;
    pendingByte = 0;
  }

  public LogMelState copy() {
    LogMelState c = new LogMelState(frameLength, frameShift);
    System.arraycopy(buffer, 0, c.buffer, 0, fill);
    c.fill = fill;
    c.framesEmitted = framesEmitted;
    c.samplesAccepted = samplesAccepted;
    c.hasPendingByte = hasPendingByte;
    c.pendingByte = pendingByte;
    return c;
  }

  public void writeTo(DataOutput out) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeInt(frameLength);
    out.writeInt(frameShift);
    out.writeLong(framesEmitted);
    out.writeLong(samplesAccepted);
    out.writeByte(hasPendingByte ? 1 : 0);
    out.writeByte(pendingByte);
    out.writeInt(fill);
    for (int i = 0; i < fill; i++) {
      out.writeFloat(buffer[i]);
    }
  }

  public static LogMelState readFrom(DataInput in) throws IOException {
    int version = in.readUnsignedByte();
    if (version != FORMAT_VERSION) {
      throw new IOException(
          "unsupported LogMelState format version "
              + version
              + " (this build reads version "
              + FORMAT_VERSION
              + "): restore with the build that wrote the checkpoint, or start the stream afresh");
    }
    int frameLength = in.readInt();
    int frameShift = in.readInt();
    if (frameLength < 2 || frameLength > (1 << 20) || frameShift < 1 || frameShift > frameLength) {
      throw new IOException("corrupt LogMelState: frameLength " + frameLength + ", frameShift " + frameShift);
    }
    LogMelState s = new LogMelState(frameLength, frameShift);
    s.framesEmitted = in.readLong();
    s.samplesAccepted = in.readLong();
    s.hasPendingByte = in.readByte() != 0;
    s.pendingByte = in.readByte();
    int fill = in.readInt();
    if (fill < 0 || fill >= frameLength || s.framesEmitted < 0 || s.samplesAccepted < 0) {
      throw new IOException("corrupt LogMelState: buffered " + fill + " of frameLength " + frameLength);
    }
    for (int i = 0; i < fill; i++) {
      s.buffer[i] = in.readFloat();
    }
    s.fill = fill;
    return s;
  }

  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(40 + 4 * fill);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  public static LogMelState fromBytes(byte[] bytes) {
    try {
      return readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof LogMelState s)) {
      return false;
    }
    return frameLength == s.frameLength
        && frameShift == s.frameShift
        && fill == s.fill
        && framesEmitted == s.framesEmitted
        && samplesAccepted == s.samplesAccepted
        && hasPendingByte == s.hasPendingByte
        && (!hasPendingByte || pendingByte == s.pendingByte)
        && Arrays.equals(buffer, 0, fill, s.buffer, 0, s.fill);
  }

  @Override
  public int hashCode() {
    int h = Long.hashCode(framesEmitted) * 31 + Long.hashCode(samplesAccepted);
    for (int i = 0; i < fill; i++) {
      h = h * 31 + Float.floatToIntBits(buffer[i]);
    }
    return h;
  }

  @Override
  public String toString() {
    return "LogMelState{framesEmitted=" + framesEmitted + ", samplesAccepted=" + samplesAccepted
        + ", buffered=" + fill + ", pendingByte=" + hasPendingByte + "}";
  }
}
