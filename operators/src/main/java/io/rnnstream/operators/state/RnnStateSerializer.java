package io.rnnstream.operators.state;

import io.rnnstream.models.model.RnnState;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, versioned Flink serializer for {@link RnnState} (never Kryo).
 *
 * <p>Wire format of one state, format version {@value #FORMAT_VERSION}:
 *
 * <pre>
 *   byte     format version (1)
 *   varlong  steps          (unsigned LEB128, 1 byte below 128 steps)
 *   int      n              number of floats
 *   float[n] values         big-endian IEEE 754, bit-exact (NaN payloads and -0.0 kept)
 * </pre>
 *
 * <p>Every record carries its format version, so a later build can keep reading records written by
 * this one (add a branch in {@link #deserialize(DataInputView)} and bump {@link #FORMAT_VERSION});
 * a record with a version this build does not know fails with an {@link IOException} naming it.
 * The serializer is stateless, hence a singleton; its snapshot is {@link
 * RnnStateSerializerSnapshot}.
 */
public final class RnnStateSerializer extends TypeSerializerSingleton<RnnState> {

  private static final long serialVersionUID = 1L;

  /** Format version written in front of every serialized state. */
  public static final int FORMAT_VERSION = 1;

  /** Oldest format version this build can read. */
  public static final int MIN_READABLE_FORMAT_VERSION = 1;

  public static final RnnStateSerializer INSTANCE = new RnnStateSerializer();

  private static final int COPY_CHUNK_BYTES = 4096;

  private RnnStateSerializer() {}

  @Override
  public boolean isImmutableType() {
    return false; // RnnState.values() is mutated in place by the model
  }

  @Override
  public RnnState createInstance() {
    return RnnState.zeros(0);
  }

  @Override
  public RnnState copy(RnnState from) {
    return from.copy();
  }

  @Override
  public RnnState copy(RnnState from, RnnState reuse) {
    if (reuse != null && reuse != from && reuse.values().length == from.values().length) {
      reuse.copyFrom(from);
      return reuse;
    }
    return from.copy();
  }

  @Override
  public int getLength() {
    return -1; // variable length
  }

  @Override
  public void serialize(RnnState record, DataOutputView target) throws IOException {
    float[] values = record.values();
    target.writeByte(FORMAT_VERSION);
    writeVarLong(record.steps(), target);
    target.writeInt(values.length);
    for (float v : values) {
      target.writeInt(Float.floatToRawIntBits(v));
    }
  }

  @Override
  public RnnState deserialize(DataInputView source) throws IOException {
    readFormatVersion(source);
    long steps = readVarLong(source);
    int n = readLength(source);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = Float.intBitsToFloat(source.readInt());
    }
    return new RnnState(values, steps);
  }

  @Override
  public RnnState deserialize(RnnState reuse, DataInputView source) throws IOException {
    // RnnState exposes no setter for steps; a fresh instance is as cheap as a reused one here.
    return deserialize(source);
  }

  @Override
  public void copy(DataInputView source, DataOutputView target) throws IOException {
    int version = readFormatVersion(source);
    target.writeByte(version);
    writeVarLong(readVarLong(source), target);
    int n = readLength(source);
    target.writeInt(n);
    // Not target.write(source, bytes): DataOutputSerializer does not grow for that call and
    // throws EOFException on large states. Stream through a small bounded buffer instead.
    long remaining = (long) n * Float.BYTES;
    byte[] chunk = new byte[(int) Math.min(remaining, COPY_CHUNK_BYTES)];
    while (remaining > 0) {
      int len = (int) Math.min(remaining, chunk.length);
      source.readFully(chunk, 0, len);
      target.write(chunk, 0, len);
      remaining -= len;
    }
  }

  @Override
  public TypeSerializerSnapshot<RnnState> snapshotConfiguration() {
    return new RnnStateSerializerSnapshot();
  }

  /** Java deserialization keeps the singleton a singleton. */
  private Object readResolve() {
    return INSTANCE;
  }

  // ---------------------------------------------------------------- wire helpers

  private static int readFormatVersion(DataInputView source) throws IOException {
    int version = source.readUnsignedByte();
    if (version < MIN_READABLE_FORMAT_VERSION || version > FORMAT_VERSION) {
      throw new IOException(
          "Unsupported RnnState format version "
              + version
              + " (this build reads versions "
              + MIN_READABLE_FORMAT_VERSION
              + ".."
              + FORMAT_VERSION
              + "). The state was written by a different rnnstream build: restore it with that"
              + " build, or start the job without this savepoint's RnnState.");
    }
    return version;
  }

  private static int readLength(DataInputView source) throws IOException {
    int n = source.readInt();
    if (n < 0) {
      throw new IOException("Corrupt RnnState: negative value count " + n);
    }
    return n;
  }

  /** Unsigned LEB128: 7 bits per byte, low groups first, high bit = more bytes follow. */
  static void writeVarLong(long value, DataOutputView target) throws IOException {
    while ((value & ~0x7FL) != 0) {
      target.writeByte((int) ((value & 0x7F) | 0x80));
      value >>>= 7;
    }
    target.writeByte((int) value);
  }

  static long readVarLong(DataInputView source) throws IOException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      int b = source.readUnsignedByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        if (value < 0) {
          throw new IOException("Corrupt RnnState: negative step count " + value);
        }
        return value;
      }
    }
    throw new IOException("Corrupt RnnState: step count varlong longer than 10 bytes");
  }
}
