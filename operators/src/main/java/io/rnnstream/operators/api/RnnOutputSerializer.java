package io.rnnstream.operators.api;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link RnnOutput}, written out field by field. Flink's {@code PojoSerializer}
 * reads and writes each field through reflection and boxes the primitive ones; chaining copies
 * every output once when object reuse is off (Flink's default), and that copy was a tenth of the
 * micro-batched inference operator's CPU time (an async-profiler profile, LSTM H=128,
 * parallelism 1). This copy is a few field assignments and a clone of {@code y}.
 *
 * <p>Record layout: key, seq, model, modelVersion, kind (ordinal, -1 for null), segment, step,
 * y, label, stepLabels, probability, tokens, latencyMs. Strings may be null
 * ({@link StringValue#writeString}); arrays are a length (-1 for null) and their elements. A change
 * to this layout needs a new {@link Snapshot} version: a job may keep outputs in its own state.
 */
public final class RnnOutputSerializer extends TypeSerializerSingleton<RnnOutput> {
  private static final long serialVersionUID = 1L;

  public static final RnnOutputSerializer INSTANCE = new RnnOutputSerializer();

  private static final RnnOutput.Kind[] KINDS = RnnOutput.Kind.values();

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public RnnOutput createInstance() {
    return new RnnOutput();
  }

  @Override
  public RnnOutput copy(RnnOutput from) {
    return copy(from, new RnnOutput());
  }

  /** Copies into {@code reuse}; strings are immutable and shared, arrays are cloned. */
  @Override
  public RnnOutput copy(RnnOutput from, RnnOutput reuse) {
    reuse.key = from.key;
    reuse.seq = from.seq;
    reuse.model = from.model;
    reuse.modelVersion = from.modelVersion;
    reuse.kind = from.kind;
    reuse.segment = from.segment;
    reuse.step = from.step;
    reuse.y = from.y == null ? null : from.y.clone();
    reuse.label = from.label;
    reuse.stepLabels = from.stepLabels == null ? null : from.stepLabels.clone();
    reuse.probability = from.probability;
    reuse.tokens = from.tokens == null ? null : from.tokens.clone();
    reuse.latencyMs = from.latencyMs;
    return reuse;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RnnOutput o, DataOutputView out) throws IOException {
    StringValue.writeString(o.key, out);
    out.writeLong(o.seq);
    StringValue.writeString(o.model, out);
    out.writeLong(o.modelVersion);
    out.writeByte(o.kind == null ? -1 : o.kind.ordinal());
    out.writeLong(o.segment);
    out.writeInt(o.step);
    writeFloats(o.y, out);
    StringValue.writeString(o.label, out);
    writeStrings(o.stepLabels, out);
    out.writeFloat(o.probability);
    writeStrings(o.tokens, out);
    out.writeLong(o.latencyMs);
  }

  @Override
  public RnnOutput deserialize(DataInputView in) throws IOException {
    return deserialize(new RnnOutput(), in);
  }

  @Override
  public RnnOutput deserialize(RnnOutput o, DataInputView in) throws IOException {
    o.key = StringValue.readString(in);
    o.seq = in.readLong();
    o.model = StringValue.readString(in);
    o.modelVersion = in.readLong();
    int kind = in.readByte();
    if (kind < -1 || kind >= KINDS.length) {
      throw new IOException("RnnOutput: unknown kind ordinal " + kind);
    }
    o.kind = kind < 0 ? null : KINDS[kind];
    o.segment = in.readLong();
    o.step = in.readInt();
    o.y = readFloats(in);
    o.label = StringValue.readString(in);
    o.stepLabels = readStrings(in);
    o.probability = in.readFloat();
    o.tokens = readStrings(in);
    o.latencyMs = in.readLong();
    return o;
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<RnnOutput> snapshotConfiguration() {
    return new Snapshot();
  }

  private static void writeFloats(float[] a, DataOutputView out) throws IOException {
    if (a == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(a.length);
    for (float v : a) {
      out.writeFloat(v);
    }
  }

  private static float[] readFloats(DataInputView in) throws IOException {
    int n = length(in);
    if (n < 0) {
      return null;
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = in.readFloat();
    }
    return a;
  }

  private static void writeStrings(String[] a, DataOutputView out) throws IOException {
    if (a == null) {
      out.writeInt(-1);
      return;
    }
    out.writeInt(a.length);
    for (String s : a) {
      StringValue.writeString(s, out);
    }
  }

  private static String[] readStrings(DataInputView in) throws IOException {
    int n = length(in);
    if (n < 0) {
      return null;
    }
    String[] a = new String[n];
    for (int i = 0; i < n; i++) {
      a[i] = StringValue.readString(in);
    }
    return a;
  }

  /** An array's length, -1 for null; anything below is corrupt input. */
  private static int length(DataInputView in) throws IOException {
    int n = in.readInt();
    if (n < -1) {
      throw new IOException("RnnOutput: negative array length " + n);
    }
    return n;
  }

  /** The serializer's snapshot: stateless, so its class is all a restore needs. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<RnnOutput> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
