package io.rnnstream.operators.captions;

import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.operators.state.MutableStateSerializer;
import io.rnnstream.operators.state.VersionedSerializerSnapshot;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Compact, versioned serializer of {@link CaptionState} (never Kryo). Layout (format version 1):
 *
 * <pre>
 * byte    format version
 * long    lastSeq      long modelVersion    int waiting    long lastActive    long idleTimer
 * byte    flags (1 = stream state present)
 * [int n, n bytes]     the stream state: {@link CaptionStream.State#toBytes()}, itself versioned:
 *                      frames, segment, revision, segment start, trailing blanks, last emitted
 *                      text, LogMelState bytes, LSTM state, CTC decoder state bytes
 * </pre>
 *
 * A new field means a new format version and a branch in {@link #deserialize}: records written by
 * older builds stay readable. The {@link Snapshot} records the format version in savepoints and
 * takes the oldest version {@code deserialize} reads: state of those versions restores as is, of
 * newer or retired ones is refused at restore.
 */
public final class CaptionStateSerializer extends MutableStateSerializer<CaptionState> {
  private static final long serialVersionUID = 1L;
  public static final int FORMAT_VERSION = 1;
  public static final CaptionStateSerializer INSTANCE = new CaptionStateSerializer();
  /** Upper bound of a stream state's bytes, against corrupt lengths. */
  private static final int MAX_STREAM_BYTES = 64 << 20;

  private CaptionStateSerializer() {}

  @Override
  public CaptionState createInstance() {
    return new CaptionState();
  }

  @Override
  public CaptionState copy(CaptionState f) {
    CaptionState t = new CaptionState();
    t.lastSeq = f.lastSeq;
    t.modelVersion = f.modelVersion;
    t.waiting = f.waiting;
    t.lastActive = f.lastActive;
    t.idleTimer = f.idleTimer;
    t.stream = f.stream == null ? null : f.stream.copy();
    return t;
  }

  @Override
  public void serialize(CaptionState s, DataOutputView out) throws IOException {
    out.writeByte(FORMAT_VERSION);
    out.writeLong(s.lastSeq);
    out.writeLong(s.modelVersion);
    out.writeInt(s.waiting);
    out.writeLong(s.lastActive);
    out.writeLong(s.idleTimer);
    out.writeByte(s.stream != null ? 1 : 0);
    if (s.stream != null) {
      byte[] b = s.stream.toBytes();
      out.writeInt(b.length);
      out.write(b);
    }
  }

  @Override
  public CaptionState deserialize(DataInputView in) throws IOException {
    int format = in.readUnsignedByte();
    if (format != FORMAT_VERSION) {
      throw new IOException("Unsupported CaptionState format version " + format
          + " (this build reads " + FORMAT_VERSION + "); restore with the rnnstream build that"
          + " wrote the checkpoint");
    }
    CaptionState s = new CaptionState();
    s.lastSeq = in.readLong();
    s.modelVersion = in.readLong();
    s.waiting = in.readInt();
    s.lastActive = in.readLong();
    s.idleTimer = in.readLong();
    int flags = in.readUnsignedByte();
    if ((flags & 1) != 0) {
      int n = in.readInt();
      if (n < 0 || n > MAX_STREAM_BYTES) {
        throw new IOException("corrupt CaptionState: stream state of " + n + " bytes");
      }
      byte[] b = new byte[n];
      in.readFully(b);
      try {
        s.stream = CaptionStream.State.fromBytes(b);
      } catch (IllegalArgumentException e) {
        throw new IOException(e.getMessage(), e);
      }
    }
    return s;
  }

  @Override
  public TypeSerializerSnapshot<CaptionState> snapshotConfiguration() {
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
  public static final class Snapshot extends VersionedSerializerSnapshot<CaptionState> {
    public Snapshot() {
      super("CaptionState", INSTANCE, FORMAT_VERSION, FORMAT_VERSION);
    }
  }
}
