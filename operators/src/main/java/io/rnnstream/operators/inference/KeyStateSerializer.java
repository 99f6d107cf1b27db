package io.rnnstream.operators.inference;

import io.rnnstream.operators.state.MutableStateSerializer;
import io.rnnstream.operators.state.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, versioned serializer of {@link KeyState} (never Kryo). Layout (format version 1):
 *
 * <pre>
 * byte    format version
 * long    lastSeq    int waiting    int pending    long gapDeadline    long lastActive
 * long    idleTimer
 * int     models, then per model:
 *   UTF   name
 *   ...   its SequenceState ({@link SequenceStateSerializer}, itself versioned)
 * </pre>
 *
 * A new field means a new format version and a branch in {@link #deserialize}: records written by
 * older builds stay readable. The {@link Snapshot} records the format version in savepoints and
 * takes the oldest version {@code deserialize} reads: state of those versions restores as is, of
 * newer or retired ones is refused at restore.
 */
public final class KeyStateSerializer extends MutableStateSerializer<KeyState> {
  private static final long serialVersionUID = 1L;
  public static final int FORMAT_VERSION = 1;
  public static final KeyStateSerializer INSTANCE = new KeyStateSerializer();
  private static final SequenceStateSerializer SEQUENCE = SequenceStateSerializer.INSTANCE;
  /** Upper bound of model names per key, against corrupt counts. */
  private static final int MAX_MODELS = 1 << 16;

  private KeyStateSerializer() {}

  @Override
  public KeyState createInstance() {
    return new KeyState();
  }

  @Override
  public KeyState copy(KeyState f) {
    KeyState t = new KeyState();
    t.lastSeq = f.lastSeq;
    t.waiting = f.waiting;
    t.pending = f.pending;
    t.gapDeadline = f.gapDeadline;
    t.lastActive = f.lastActive;
    t.idleTimer = f.idleTimer;
    for (int i = 0; i < f.models(); i++) {
      t.add(f.name(i), SEQUENCE.copy(f.sequence(i)));
    }
    return t;
  }

  @Override
  public void serialize(KeyState s, DataOutputView out) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeLong(s.lastSeq);
    out.writeInt(s.waiting);
    out.writeInt(s.pending);
    out.writeLong(s.gapDeadline);
    out.writeLong(s.lastActive);
    out.writeLong(s.idleTimer);
    out.writeInt(s.models());
    for (int i = 0; i < s.models(); i++) {
      out.writeUTF(s.name(i));
      SEQUENCE.serialize(s.sequence(i), out);
    }
  }

  @Override
  public KeyState deserialize(DataInputView in) throws IOException {
    int format = in.readUnsignedByte();
    if (format != FORMAT_VERSION) {
      throw new IOException("Unsupported KeyState format version " + format
          + " (this build reads " + FORMAT_VERSION + "); restore with the rnnstream build that"
          + " wrote the checkpoint");
    }
    KeyState s = new KeyState();
    s.lastSeq = in.readLong();
    s.waiting = in.readInt();
    s.pending = in.readInt();
    s.gapDeadline = in.readLong();
    s.lastActive = in.readLong();
    s.idleTimer = in.readLong();
    int models = in.readInt();
    if (models < 0 || models > MAX_MODELS) {
      throw new IOException("KeyState holds " + models + " models (corrupted state?)");
    }
    for (int i = 0; i < models; i++) {
      String name = in.readUTF();
      s.add(name, SEQUENCE.deserialize(in));
    }
    return s;
  }

  @Override
  public TypeSerializerSnapshot<KeyState> snapshotConfiguration() {
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
  public static final class Snapshot extends VersionedSerializerSnapshot<KeyState> {
    public Snapshot() {
      super("KeyState", INSTANCE, FORMAT_VERSION, FORMAT_VERSION);
    }
  }
}
