package io.rnnstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The caption pipeline's records: binary round trips and defaults. */
class CaptionSchemasTest {

  @SuppressWarnings("unchecked")
  static <T extends SpecificRecordBase> T roundTrip(T record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
    new SpecificDatumWriter<T>(record.getSchema()).write(record, enc);
    enc.flush();
    return new SpecificDatumReader<T>((Class<T>) record.getClass())
        .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
  }

  @Test
  void shouldRoundTripAnAudioChunkWithDefaults() throws IOException {
    AudioChunk c = AudioChunk.newBuilder().setStream("call-7/left").setSeq(12)
        .setPcm(ByteBuffer.wrap(new byte[] {1, 2, 3})).build();
    assertThat(c.getEndOfStream()).isFalse();
    assertThat(c.getTimestampMs()).isZero();
    assertThat(roundTrip(c)).isEqualTo(c);
  }

  @Test
  void shouldRoundTripACaption() throws IOException {
    List<CaptionWord> words = new ArrayList<>(List.of(
        CaptionWord.newBuilder().setText("four").setStartMs(120).setEndMs(410).build(),
        CaptionWord.newBuilder().setText("two").setStartMs(520).setEndMs(700).build()));
    Caption c = Caption.newBuilder().setStream("s").setSegment(3).setRevision(5)
        .setStable("four t").setUnstable("wo").setFinal$(false).setWords(words)
        .setModelName("captions").setModelVersion(2).setStartMs(100).setEndMs(800).build();
    assertThat(roundTrip(c)).isEqualTo(c);
    assertThat(Caption.getClassSchema().getField("final")).isNotNull();
  }
}
