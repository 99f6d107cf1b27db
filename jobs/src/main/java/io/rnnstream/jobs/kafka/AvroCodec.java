package io.rnnstream.jobs.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro binary encoding of one generated record type (the schema is the class's; no registry).
 * Readers and writers are created lazily per instance, so the codec itself is serializable.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Class<T> type;
  private transient SpecificDatumReader<T> reader;
  private transient SpecificDatumWriter<T> writer;
  private transient BinaryDecoder decoder;

  public AvroCodec(Class<T> type) {
    this.type = type;
  }

  public T decode(byte[] bytes) throws IOException {
    if (reader == null) {
      reader = new SpecificDatumReader<>(type);
    }
    decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
    T value = reader.read(null, decoder);
    if (!decoder.isEnd()) {
      throw new IOException("trailing bytes after a " + type.getSimpleName() + " record");
    }
    return value;
  }

  public byte[] encode(T value) {
    if (writer == null) {
      writer = new SpecificDatumWriter<>(type);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode " + value, e);
    }
    return out.toByteArray();
  }
}
