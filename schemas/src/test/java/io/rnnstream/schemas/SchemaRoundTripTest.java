package io.rnnstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaRoundTripTest {

  // ---------------------------------------------------------------- fixtures

  private static ChatMessage chatMessage() {
    return ChatMessage.newBuilder()
        .setConversationId("conv-42")
        .setSeq(7L)
        .setText("the flight to boston was great")
        .setTimestampMs(1_700_000_000_123L)
        .setReset(true)
        .build();
  }

  private static TokenEvent tokenWithText() {
    return TokenEvent.newBuilder()
        .setKey("utt-1")
        .setSeq(3L)
        .setToken("boston")
        .setEndOfSegment(false)
        .build();
  }

  private static TokenEvent tokenWithIds() {
    return TokenEvent.newBuilder()
        .setKey("utt-1")
        .setSeq(4L)
        .setIds(new ArrayList<>(List.of(17, 0, 9_999)))
        .setEndOfSegment(true)
        .build();
  }

  private static FeatureFrames featureFrames() {
    List<List<Float>> frames = new ArrayList<>();
    frames.add(new ArrayList<>(List.of(0.5f, -1.25f, 3.0e-7f)));
    frames.add(new ArrayList<>(List.of(Float.MIN_VALUE, -0.0f, 12.75f)));
    return FeatureFrames.newBuilder()
        .setKey("speaker-9")
        .setSeq(120L)
        .setFrames(frames)
        .setEndOfStream(true)
        .build();
  }

  private static Prediction prediction() {
    return Prediction.newBuilder()
        .setKey("conv-42")
        .setSeq(7L)
        .setModelName("sentiment")
        .setModelVersion(3L)
        .setLabel("positive")
        .setProbabilities(new ArrayList<>(List.of(0.1f, 0.2f, 0.7f)))
        .setLatencyMs(2L)
        .build();
  }

  private static DeadLetter deadLetterWithKey() {
    return DeadLetter.newBuilder()
        .setSourceTopic("chat-messages")
        .setPartition(2)
        .setOffset(123_456_789_012L)
        .setKey("conv-42")
        .setPayload(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xff}))
        .setReason("malformed: not Avro")
        .setTimestampMs(1_700_000_000_999L)
        .build();
  }

  private static DeadLetter deadLetterWithoutKey() {
    return DeadLetter.newBuilder(deadLetterWithKey()).setKey(null).build();
  }

  private static ModelSnapshot inlineSnapshot() {
    return ModelSnapshot.newBuilder()
        .setName("sentiment")
        .setVersion(5L)
        .setSha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        .setBytes(ByteBuffer.wrap("RNNS\u0001weights".getBytes(StandardCharsets.UTF_8)))
        .build();
  }

  private static ModelSnapshot uriSnapshot() {
    return ModelSnapshot.newBuilder()
        .setName("sentiment")
        .setVersion(6L)
        .setSha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        .setUri("file:///models/sentiment-6.rnns")
        .build();
  }

  static Stream<SpecificRecordBase> records() {
    return Stream.of(
        chatMessage(),
        tokenWithText(),
        tokenWithIds(),
        featureFrames(),
        prediction(),
        deadLetterWithKey(),
        deadLetterWithoutKey(),
        inlineSnapshot(),
        uriSnapshot());
  }

  // ---------------------------------------------------------------- codecs

  private static byte[] encode(Object datum, DatumWriter<Object> writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    writer.write(datum, encoder);
    encoder.flush();
    return bytes.toByteArray();
  }

  private static <T> T decode(byte[] bytes, DatumReader<T> reader) throws IOException {
    return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
  }

  private static byte[] encodeSpecific(SpecificRecordBase record) throws IOException {
    return encode(record, new SpecificDatumWriter<>(record.getSchema()));
  }

  // ---------------------------------------------------------------- round trips

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void shouldRoundTripEveryRecordThroughBinaryEncoding(SpecificRecordBase record)
      throws IOException {
    byte[] bytes = encodeSpecific(record);

    SpecificRecordBase decoded =
        decode(bytes, new SpecificDatumReader<SpecificRecordBase>(record.getSchema()));

    assertThat(decoded).isInstanceOf(record.getClass()).isEqualTo(record);
    // Encoding is deterministic: the decoded record encodes to the same bytes.
    assertThat(encodeSpecific(decoded)).isEqualTo(bytes);
  }

  @Test
  void shouldGenerateEveryRecordInTheProjectNamespace() {
    assertThat(records().map(SpecificRecordBase::getSchema).distinct())
        .hasSize(6)
        .allSatisfy(
            schema -> {
              assertThat(schema.getNamespace()).isEqualTo("io.rnnstream.schemas");
              assertThat(schema.getType()).isEqualTo(Schema.Type.RECORD);
            });
  }

  @Test
  void shouldDefaultResetToFalse() {
    ChatMessage message =
        ChatMessage.newBuilder()
            .setConversationId("c")
            .setSeq(1L)
            .setText("hi")
            .setTimestampMs(0L)
            .build();

    assertThat(message.getReset()).isFalse();
  }

  @Test
  void shouldKeepFloatValuesBitExact() throws IOException {
    FeatureFrames frames = featureFrames();

    FeatureFrames decoded =
        decode(encodeSpecific(frames), new SpecificDatumReader<>(FeatureFrames.class));

    assertThat(Float.floatToRawIntBits(decoded.getFrames().get(1).get(1)))
        .isEqualTo(Float.floatToRawIntBits(-0.0f));
    assertThat(decoded.getFrames().get(1).get(0)).isEqualTo(Float.MIN_VALUE);
  }

  @Test
  void shouldCarryExactlyOneOfBytesOrUriInModelSnapshots() throws IOException {
    ModelSnapshot inline =
        decode(encodeSpecific(inlineSnapshot()), new SpecificDatumReader<>(ModelSnapshot.class));
    ModelSnapshot byUri =
        decode(encodeSpecific(uriSnapshot()), new SpecificDatumReader<>(ModelSnapshot.class));

    assertThat(inline.getBytes()).isNotNull();
    assertThat(inline.getUri()).isNull();
    assertThat(byUri.getBytes()).isNull();
    assertThat(byUri.getUri()).isEqualTo("file:///models/sentiment-6.rnns");
  }

  // ---------------------------------------------------------------- evolution

  /** ChatMessage plus one optional field, as a later release might add it. */
  private static Schema evolvedChatMessageSchema() {
    Schema current = ChatMessage.getClassSchema();
    List<Schema.Field> fields = new ArrayList<>();
    for (Schema.Field field : current.getFields()) {
      fields.add(new Schema.Field(field, field.schema()));
    }
    Schema optionalString = SchemaBuilder.unionOf().nullType().and().stringType().endUnion();
    fields.add(
        new Schema.Field(
            "language", optionalString, "ISO 639-1 code, when known.", Schema.Field.NULL_DEFAULT_VALUE));
    return Schema.createRecord(
        current.getName(), current.getDoc(), current.getNamespace(), false, fields);
  }

  @Test
  void shouldBeFullyCompatibleWithAnAddedOptionalField() {
    Schema oldSchema = ChatMessage.getClassSchema();
    Schema newSchema = evolvedChatMessageSchema();

    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(newSchema, oldSchema).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    assertThat(
            SchemaCompatibility.checkReaderWriterCompatibility(oldSchema, newSchema).getType())
        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
  }

  @Test
  void shouldReadOldDataWithTheEvolvedReaderSchema() throws IOException {
    ChatMessage old = chatMessage();
    byte[] bytes = encodeSpecific(old);

    GenericRecord read =
        decode(
            bytes,
            new GenericDatumReader<GenericRecord>(
                ChatMessage.getClassSchema(), evolvedChatMessageSchema()));

    assertThat(read.get("language")).isNull();
    assertThat(read.get("conversationId").toString()).isEqualTo(old.getConversationId());
    assertThat(read.get("seq")).isEqualTo(old.getSeq());
    assertThat(read.get("text").toString()).isEqualTo(old.getText());
    assertThat(read.get("timestampMs")).isEqualTo(old.getTimestampMs());
    assertThat(read.get("reset")).isEqualTo(true);
  }

  @Test
  void shouldReadEvolvedDataWithTheOldReaderSchema() throws IOException {
    Schema newSchema = evolvedChatMessageSchema();
    ChatMessage expected = chatMessage();
    GenericRecord evolved = new GenericData.Record(newSchema);
    evolved.put("conversationId", expected.getConversationId());
    evolved.put("seq", expected.getSeq());
    evolved.put("text", expected.getText());
    evolved.put("timestampMs", expected.getTimestampMs());
    evolved.put("reset", expected.getReset());
    evolved.put("language", "en");
    byte[] bytes = encode(evolved, new GenericDatumWriter<>(newSchema));

    ChatMessage read =
        decode(bytes, new SpecificDatumReader<>(newSchema, ChatMessage.getClassSchema()));

    assertThat(read).isEqualTo(expected);
  }

  @Test
  void shouldFillResetWithItsDefaultWhenTheWriterHadNoSuchField() throws IOException {
    // A producer built before `reset` existed: the current reader must default it to false.
    Schema withoutReset =
        SchemaBuilder.record("ChatMessage")
            .namespace("io.rnnstream.schemas")
            .fields()
            .requiredString("conversationId")
            .requiredLong("seq")
            .requiredString("text")
            .requiredLong("timestampMs")
            .endRecord();
    GenericRecord legacy = new GenericData.Record(withoutReset);
    legacy.put("conversationId", "conv-1");
    legacy.put("seq", 1L);
    legacy.put("text", "hello");
    legacy.put("timestampMs", 5L);
    byte[] bytes = encode(legacy, new GenericDatumWriter<>(withoutReset));

    ChatMessage read =
        decode(bytes, new SpecificDatumReader<>(withoutReset, ChatMessage.getClassSchema()));

    assertThat(read.getReset()).isFalse();
    assertThat(read.getConversationId()).isEqualTo("conv-1");
    assertThat(read.getText()).isEqualTo("hello");
  }
}
