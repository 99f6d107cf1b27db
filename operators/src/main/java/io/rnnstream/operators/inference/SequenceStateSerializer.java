package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnState;
import io.rnnstream.operators.state.MutableStateSerializer;
import io.rnnstream.operators.state.RnnStateSerializer;
import io.rnnstream.operators.state.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, versioned serializer of {@link SequenceState}. Layout (format version 1):
 *
 * <pre>
 * byte    format version
 * long    version      int layout      byte flags (1 segmentOpen, 2 segment, 4 rolling, 8 ring,
 *                                                  16 open)
 * long    segments     int segmentSteps int width
 * [RnnState segment] [RnnState rolling]   (RnnStateSerializer)
 * [int n, n floats ring, int ringCount, int ringNext]
 * [int openRows, openRows*width floats]
 * </pre>
 *
 * A new field means a new format version and a branch in {@link #deserialize}: records written by
 * older builds stay readable. The {@link Snapshot} records the format version in savepoints and
 * takes the oldest version {@code deserialize} reads: state of those versions restores as is, of
 * newer or retired ones is refused at restore.
 */
public final class SequenceStateSerializer extends MutableStateSerializer<SequenceState> {
  private static final long serialVersionUID = 1L;
  public static final int FORMAT_VERSION = 1;
  public static final SequenceStateSerializer INSTANCE = new SequenceStateSerializer();
  private static final RnnStateSerializer RNN = RnnStateSerializer.INSTANCE;

  private SequenceStateSerializer() {}

  @Override
  public SequenceState createInstance() {
    return new SequenceState();
  }

  @Override
  public SequenceState copy(SequenceState f) {
    SequenceState t = new SequenceState();
    t.version = f.version;
    t.layout = f.layout;
    t.segmentOpen = f.segmentOpen;
    t.segments = f.segments;
    t.segmentSteps = f.segmentSteps;
    t.segment = f.segment == null ? null : f.segment.copy();
    t.rolling = f.rolling == null ? null : f.rolling.copy();
    t.ring = f.ring == null ? null : f.ring.clone();
    t.ringCount = f.ringCount;
    t.ringNext = f.ringNext;
    t.width = f.width;
    t.open = f.open == null ? null : java.util.Arrays.copyOf(f.open, f.openRows * f.width);
    t.openRows = f.openRows;
    return t;
  }

  @Override
  public void serialize(SequenceState s, DataOutputView out) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeLong(s.version);
    out.writeInt(s.layout);
    boolean hasOpen = s.open != null && s.openRows > 0;
    int flags = (s.segmentOpen ? 1 : 0) | (s.segment != null ? 2 : 0) | (s.rolling != null ? 4 : 0)
        | (s.ring != null ? 8 : 0) | (hasOpen ? 16 : 0);
    out.writeByte(flags);
    out.writeLong(s.segments);
    out.writeInt(s.segmentSteps);
    out.writeInt(s.width);
    if (s.segment != null) {
      RNN.serialize(s.segment, out);
    }
    if (s.rolling != null) {
      RNN.serialize(s.rolling, out);
    }
    if (s.ring != null) {
      writeFloats(s.ring, s.ring.length, out);
      out.writeInt(s.ringCount);
      out.writeInt(s.ringNext);
    }
    if (hasOpen) {
      out.writeInt(s.openRows);
      writeFloats(s.open, s.openRows * s.width, out);
    }
  }

  @Override
  public SequenceState deserialize(DataInputView in) throws IOException {
    int format = in.readUnsignedByte();
    if (format != FORMAT_VERSION) {
      throw new IOException("Unsupported SequenceState format version " + format
          + " (this build reads " + FORMAT_VERSION + "); restore with the rnnstream build that"
          + " wrote the checkpoint");
    }
    SequenceState s = new SequenceState();
    s.version = in.readLong();
    s.layout = in.readInt();
    int flags = in.readUnsignedByte();
    s.segmentOpen = (flags & 1) != 0;
    s.segments = in.readLong();
    s.segmentSteps = in.readInt();
    s.width = in.readInt();
    if ((flags & 2) != 0) {
      s.segment = RNN.deserialize(in);
    }
    if ((flags & 4) != 0) {
      s.rolling = RNN.deserialize(in);
    }
    if ((flags & 8) != 0) {
      s.ring = readFloats(in, in.readInt());
      s.ringCount = in.readInt();
      s.ringNext = in.readInt();
    }
    if ((flags & 16) != 0) {
      s.openRows = in.readInt();
      s.open = readFloats(in, in.readInt());
    }
    return s;
  }

  private static void writeFloats(float[] a, int n, DataOutputView out) throws IOException {
    out.writeInt(n);
    for (int i = 0; i < n; i++) {
      out.writeInt(Float.floatToRawIntBits(a[i]));
    }
  }

  private static float[] readFloats(DataInputView in, int n) throws IOException {
    if (n < 0) {
      throw new IOException("negative float count " + n + " in SequenceState (corrupted state?)");
    }
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = Float.intBitsToFloat(in.readInt());
    }
    return a;
  }

  @Override
  public TypeSerializerSnapshot<SequenceState> snapshotConfiguration() {
    return new Snapshot();
  }

  private Object readResolve() {
    return INSTANCE;
  }

  /**
   * The serializer's snapshot: records the format version and answers compatibility at restore
   * ({@link VersionedSerializerSnapshot}). Savepoints of earlier builds name this class with
   * {@code SimpleTypeSerializerSnapshot}'s layout and read as format version 1.
   */
  public static final class Snapshot extends VersionedSerializerSnapshot<SequenceState> {
    public Snapshot() {
      super("SequenceState", INSTANCE, FORMAT_VERSION, FORMAT_VERSION);
    }
  }
}
