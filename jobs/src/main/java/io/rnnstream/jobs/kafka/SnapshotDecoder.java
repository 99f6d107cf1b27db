package io.rnnstream.jobs.kafka;

import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.schemas.ModelSnapshot;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Decodes the model topic's Avro {@code ModelSnapshot} records into {@link ModelUpdate}s: inline
 * bytes, or a {@code uri} (file, http) fetched here for snapshots too big for a Kafka message.
 * Undecodable records become dead letters; content validation (and, with trusted keys, the
 * signature) happens in the operator, to which each update carries its record's key and value
 * bytes, so that a refused snapshot's dead letter is the record exactly as received.
 */
public final class SnapshotDecoder extends ProcessFunction<RawRecord, ModelUpdate> {
  private static final long serialVersionUID = 1L;
  private static final long MAX_FETCH_BYTES = 512L << 20;
  private final OutputTag<DeadLetter> deadLetters;
  private final AvroCodec<ModelSnapshot> codec = new AvroCodec<>(ModelSnapshot.class);

  public SnapshotDecoder(OutputTag<DeadLetter> deadLetters) {
    this.deadLetters = deadLetters;
  }

  @Override
  public void processElement(RawRecord r, Context ctx, Collector<ModelUpdate> out) {
    try {
      ModelSnapshot s = codec.decode(r.value);
      byte[] bytes;
      if (s.getBytes() != null && s.getUri() == null) {
        bytes = toArray(s.getBytes());
      } else if (s.getUri() != null && s.getBytes() == null) {
        bytes = fetch(s.getUri());
      } else {
        throw new IOException("exactly one of bytes and uri must be set");
      }
      ModelUpdate u = ModelUpdate.of(s.getName(), s.getVersion(), bytes);
      u.sha256 = s.getSha256();
      u.source = r.source();
      u.signature = s.getSignature() == null ? null : toArray(s.getSignature());
      u.recordKey = r.key; // so that a snapshot the operator refuses is dead-lettered as received
      u.recordValue = r.value;
      out.collect(u);
    } catch (IOException | RuntimeException e) {
      DeadLetter d = DeadLetter.of("snapshot", r.keyString(), r.source(),
          "undecodable model snapshot record: " + e.getMessage(),
          (r.value == null ? 0 : r.value.length) + " bytes");
      d.payload = r.value;
      d.recordKey = r.key;
      ctx.output(deadLetters, d);
    }
  }

  private static byte[] toArray(java.nio.ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  private static byte[] fetch(String uri) throws IOException {
    try (InputStream in = URI.create(uri).toURL().openStream()) {
      byte[] bytes = in.readNBytes((int) MAX_FETCH_BYTES + 1);
      if (bytes.length > MAX_FETCH_BYTES) {
        throw new IOException("snapshot at " + uri + " is larger than " + MAX_FETCH_BYTES);
      }
      return bytes;
    }
  }
}
