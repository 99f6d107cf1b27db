package io.rnnstream.operators.api;

import io.rnnstream.operators.state.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.common.typeutils.base.array.FloatPrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.IntPrimitiveArraySerializer;
import org.apache.flink.api.common.typeutils.base.array.StringArraySerializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

/**
 * The serializer of {@link RnnEvent} on {@link RnnInference}'s own edge, from the featurizer to
 * the keyed inference operator: field by field, where Flink's {@code PojoSerializer} creates the
 * instance and sets every field through reflection (about a tenth of the micro-batched operator's
 * CPU time on its input side, async-profiler, LSTM H=128, one subtask), and boxes the primitive
 * fields on the sending side.
 *
 * <p>Only that edge uses it ({@link RnnEventTypeInfo}): {@code TypeInformation.of(RnnEvent.class)}
 * stays the POJO type, so the operator's buffered events in keyed state, and users' own streams
 * and state of events, keep the serializer their savepoints were written with.
 *
 * <p>Record layout: key, seq, model, flags (1 endOfSegment, 2 reset, 4 x, 8 ids, 16 tokens: the
 * arrays present), timestampMs, source, then each present array in the format of Flink's own
 * array serializers (a length and the elements). Strings may be null
 * ({@link StringValue#writeString}).
 *
 * <p>Records carry no version byte (the edge's records are not kept), but the layout has one,
 * {@link #FORMAT_VERSION}, which the {@link Snapshot} records: a job that keeps events in state
 * under {@link RnnEventTypeInfo} restores only into a build that reads that format. A change to
 * this layout bumps it and keeps a reader of the old one ({@link
 * VersionedSerializerSnapshot#readerOf}).
 */
public final class RnnEventSerializer extends TypeSerializerSingleton<RnnEvent> {
  private static final long serialVersionUID = 1L;

  /** Version of the record layout above, recorded in the {@link Snapshot}. */
  public static final int FORMAT_VERSION = 1;

  public static final RnnEventSerializer INSTANCE = new RnnEventSerializer();

  private static final int END_OF_SEGMENT = 1;
  private static final int RESET = 2;
  private static final int HAS_X = 4;
  private static final int HAS_IDS = 8;
  private static final int HAS_TOKENS = 16;
  private static final int KNOWN_FLAGS = 31;

  @Override
  public boolean isImmutableType() {
    return false;
  }

  @Override
  public RnnEvent createInstance() {
    return new RnnEvent();
  }

  @Override
  public RnnEvent copy(RnnEvent from) {
    return copy(from, new RnnEvent());
  }

  /** Copies into {@code reuse}; strings are immutable and shared, arrays are cloned. */
  @Override
  public RnnEvent copy(RnnEvent from, RnnEvent reuse) {
    reuse.key = from.key;
    reuse.seq = from.seq;
    reuse.model = from.model;
    reuse.x = from.x == null ? null : from.x.clone();
    reuse.ids = from.ids == null ? null : from.ids.clone();
    reuse.tokens = from.tokens == null ? null : from.tokens.clone();
    reuse.endOfSegment = from.endOfSegment;
    reuse.reset = from.reset;
    reuse.timestampMs = from.timestampMs;
    reuse.source = from.source;
    return reuse;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(RnnEvent e, DataOutputView out) throws IOException {
    StringValue.writeString(e.key, out);
    out.writeLong(e.seq);
    StringValue.writeString(e.model, out);
    int flags = (e.endOfSegment ? END_OF_SEGMENT : 0) | (e.reset ? RESET : 0)
        | (e.x != null ? HAS_X : 0) | (e.ids != null ? HAS_IDS : 0)
        | (e.tokens != null ? HAS_TOKENS : 0);
    out.writeByte(flags);
    out.writeLong(e.timestampMs);
    StringValue.writeString(e.source, out);
    if (e.x != null) {
      FloatPrimitiveArraySerializer.INSTANCE.serialize(e.x, out);
    }
    if (e.ids != null) {
      IntPrimitiveArraySerializer.INSTANCE.serialize(e.ids, out);
    }
    if (e.tokens != null) {
      StringArraySerializer.INSTANCE.serialize(e.tokens, out);
    }
  }

  @Override
  public RnnEvent deserialize(DataInputView in) throws IOException {
    return deserialize(new RnnEvent(), in);
  }

  @Override
  public RnnEvent deserialize(RnnEvent e, DataInputView in) throws IOException {
    e.key = StringValue.readString(in);
    e.seq = in.readLong();
    e.model = StringValue.readString(in);
    int flags = in.readUnsignedByte();
    if ((flags & ~KNOWN_FLAGS) != 0) {
      throw new IOException("RnnEvent: unknown flags " + flags);
    }
    e.endOfSegment = (flags & END_OF_SEGMENT) != 0;
    e.reset = (flags & RESET) != 0;
    e.timestampMs = in.readLong();
    e.source = StringValue.readString(in);
    e.x = null;
    e.ids = null;
    e.tokens = null;
    if ((flags & HAS_X) != 0) {
      e.x = FloatPrimitiveArraySerializer.INSTANCE.deserialize(in);
    }
    if ((flags & HAS_IDS) != 0) {
      e.ids = IntPrimitiveArraySerializer.INSTANCE.deserialize(in);
    }
    if ((flags & HAS_TOKENS) != 0) {
      e.tokens = StringArraySerializer.INSTANCE.deserialize(in);
    }
    return e;
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<RnnEvent> snapshotConfiguration() {
    return new Snapshot();
  }

  /**
   * The serializer's snapshot: records the format version and answers compatibility at restore
   * ({@link VersionedSerializerSnapshot}). Savepoints of earlier builds name this class with
   * {@code SimpleTypeSerializerSnapshot}'s layout and read as format version 1.
   */
  public static final class Snapshot extends VersionedSerializerSnapshot<RnnEvent> {
    public Snapshot() {
      super("RnnEvent", INSTANCE, FORMAT_VERSION, FORMAT_VERSION);
    }
  }
}
