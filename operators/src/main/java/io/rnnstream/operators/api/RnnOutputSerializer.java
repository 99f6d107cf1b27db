package io.rnnstream.operators.api;

import io.rnnstream.operators.state.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.StringArraySerializer;
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
 * label, probability, latencyMs, a byte of flags (1 y, 2 stepLabels, 4 tokens: the arrays
 * present), then each present array in the format of Flink's own array serializers. Strings may
 * be null ({@link StringValue#writeString}).
 *
 * <p>Records carry no version byte, but the layout has one, {@link #FORMAT_VERSION}, which the
 * {@link Snapshot} records: a job may keep outputs in its own state, and restores it only into a
 * build that reads that format. A change to this layout bumps it and keeps a reader of the old
 * one ({@link VersionedSerializerSnapshot#readerOf}), so that such state is migrated at restore.
 */
public final class RnnOutputSerializer extends TypeSerializerSingleton<RnnOutput> {
  private static final long serialVersionUID = 1L;

  /** Version of the record layout above, recorded in the {@link Snapshot}. */
  public static final int FORMAT_VERSION = 1;

  public static final RnnOutputSerializer INSTANCE = new RnnOutputSerializer();

  private static final RnnOutput.Kind[] KINDS = RnnOutput.Kind.values();
  private static final int HAS_Y = 1;
  private static final int HAS_STEP_LABELS = 2;
  private static final int HAS_TOKENS = 4;
  private static final int KNOWN_ARRAYS = 7;

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
    StringValue.writeString(o.label, out);
    out.writeFloat(o.probability);
    out.writeLong(o.latencyMs);
    out.writeByte((o.y != null ? HAS_Y : 0) | (o.stepLabels != null ? HAS_STEP_LABELS : 0)
        | (o.tokens != null ? HAS_TOKENS : 0));
    if (o.y != null) {
      FloatPrimitiveArraySerializer.INSTANCE.serialize(o.y, out);
    }
    if (o.stepLabels != null) {
      StringArraySerializer.INSTANCE.serialize(o.stepLabels, out);
    }
    if (o.tokens != null) {
      StringArraySerializer.INSTANCE.serialize(o.tokens, out);
    }
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
    o.label = StringValue.readString(in);
    o.probability = in.readFloat();
    o.latencyMs = in.readLong();
    int arrays = in.readUnsignedByte();
    if ((arrays & ~KNOWN_ARRAYS) != 0) {
      throw new IOException("RnnOutput: unknown array flags " + arrays);
    }
    o.y = (arrays & HAS_Y) != 0 ? FloatPrimitiveArraySerializer.INSTANCE.deserialize(in) : null;
    o.stepLabels = (arrays & HAS_STEP_LABELS) != 0
        ? StringArraySerializer.INSTANCE.deserialize(in) : null;
    o.tokens = (arrays & HAS_TOKENS) != 0 ? StringArraySerializer.INSTANCE.deserialize(in) : null;
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

  /**
   * The serializer's snapshot: records the format version and answers compatibility at restore
   * ({@link VersionedSerializerSnapshot}). Savepoints of earlier builds name this class with
   * {@code SimpleTypeSerializerSnapshot}'s layout and read as format version 1.
   */
  public static final class Snapshot extends VersionedSerializerSnapshot<RnnOutput> {
    public Snapshot() {
      super("RnnOutput", INSTANCE, FORMAT_VERSION, FORMAT_VERSION);
    }
  }
}
