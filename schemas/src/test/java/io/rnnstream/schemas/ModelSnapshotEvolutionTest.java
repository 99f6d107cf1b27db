package io.rnnstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code ModelSnapshot} gained the optional {@code signature}: records of the previous schema
 * (a copy in {@code src/test/resources/previous/ModelSnapshot-1.avsc}) read as unsigned, and
 * readers of the previous schema read signed records, skipping the signature. Checked with
 * Avro's own schema resolution, both by {@link SchemaCompatibility} and by decoding.
 */
class ModelSnapshotEvolutionTest {
  private static final byte[] SNAPSHOT = {'R', 'N', 'N', 'S', 'N', 'A', 'P', '\n', 0, 1, 2, 3};
  private static final byte[] BUNDLE =
      "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}"
          .getBytes(StandardCharsets.UTF_8);

  private static Schema previous() throws IOException {
    try (InputStream in = ModelSnapshotEvolutionTest.class.getResourceAsStream(
        "/previous/ModelSnapshot-1.avsc")) {
      return new Schema.Parser().parse(in);
    }
  }

  @Test
  void thePreviousSchemaShouldBeTheCurrentOneWithoutTheSignature() throws IOException {
    Schema old = previous();
    Schema current = new Schema.Parser().parse(
        java.nio.file.Path.of("src/main/avro/ModelSnapshot.avsc").toFile());
    assertThat(old.getField("signature")).isNull();
    assertThat(current.getFields()).hasSize(old.getFields().size() + 1);
    for (Schema.Field f : old.getFields()) {
      assertThat(current.getField(f.name()).schema()).isEqualTo(f.schema());
    }
    Schema.Field signature = current.getField("signature");
    assertThat(signature.schema().getTypes()).extracting(Schema::getType)
        .containsExactly(Schema.Type.NULL, Schema.Type.BYTES);
    assertThat(signature.defaultVal()).isEqualTo(org.apache.avro.JsonProperties.NULL_VALUE);
  }

  @Test
  void shouldBeCompatibleBothWays() throws IOException {
    Schema old = previous();
    Schema current = ModelSnapshot.getClassSchema();
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
        .as("new reader, old writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
        .as("old reader, new writer").isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void aRecordOfThePreviousWriterShouldReadAsUnsigned() throws IOException {
    Schema old = previous();
    GenericRecord r = new GenericData.Record(old);
    r.put("name", "sentiment");
    r.put("version", 7L);
    r.put("sha256", "ab");
    r.put("bytes", ByteBuffer.wrap(SNAPSHOT));
    r.put("uri", null);
    byte[] bytes = encode(r, old);

    ModelSnapshot read = decode(bytes,
        new SpecificDatumReader<>(old, ModelSnapshot.getClassSchema()));

    assertThat(read.getSignature()).isNull();
    assertThat(read.getName()).isEqualTo("sentiment");
    assertThat(read.getVersion()).isEqualTo(7L);
    assertThat(bytes(read.getBytes())).isEqualTo(SNAPSHOT);
  }

  @Test
  void aSignedRecordShouldReadWithThePreviousReaderWithoutItsSignature() throws IOException {
    Schema old = previous();
    ModelSnapshot signed = ModelSnapshot.newBuilder()
        .setName("sentiment").setVersion(8L).setSha256("cd")
        .setBytes(ByteBuffer.wrap(SNAPSHOT)).setSignature(ByteBuffer.wrap(BUNDLE)).build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<>(ModelSnapshot.class).write(signed, enc);
    enc.flush();

    GenericRecord read = decode(out.toByteArray(),
        new GenericDatumReader<>(ModelSnapshot.getClassSchema(), old));

    assertThat(read.getSchema().getField("signature")).isNull();
    assertThat(read.get("name").toString()).isEqualTo("sentiment");
    assertThat(read.get("version")).isEqualTo(8L);
    assertThat(read.get("sha256").toString()).isEqualTo("cd");
    assertThat(bytes((ByteBuffer) read.get("bytes"))).isEqualTo(SNAPSHOT);
    assertThat(read.get("uri")).isNull();

    ModelSnapshot again = decode(out.toByteArray(), new SpecificDatumReader<>(ModelSnapshot.class));
    assertThat(bytes(again.getSignature())).isEqualTo(BUNDLE);
  }

  private static byte[] encode(GenericRecord r, Schema schema) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(schema).write(r, enc);
    enc.flush();
    return out.toByteArray();
  }

  private static <T> T decode(byte[] bytes, DatumReader<T> reader) throws IOException {
    return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  private static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }
}
