package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link RnnEventSerializer}: every field survives (RnnEvent's equals compares them all), copies
 * are deep, and {@code TypeInformation.of(RnnEvent.class)} is still the POJO type.
 */
class RnnEventSerializerTest {

  /** A dense, a token-id, a word and an empty event, with and without every optional field. */
  static RnnEvent[] samples() {
    RnnEvent dense = RnnEvent.dense("user-1", 7, new float[] {0.5f, -0f, Float.NaN,
        Float.intBitsToFloat(0x7fc01234), Float.NEGATIVE_INFINITY, Float.MIN_VALUE});
    dense.timestampMs = 1_700_000_000_000L;
    dense.source = "events/3/1234";
    RnnEvent ids = RnnEvent.ids("k2", Long.MAX_VALUE, 3, 0, Integer.MAX_VALUE, -1)
        .model("sentiment").endOfSegment();
    RnnEvent words = RnnEvent.tokens("Zürich", -1, "fly", null, "to", "").reset();
    RnnEvent empty = new RnnEvent();
    RnnEvent closing = RnnEvent.dense("k3", 0, new float[0]).endOfSegment().reset();
    return new RnnEvent[] {dense, ids, words, empty, closing};
  }

  /** Same fields, bit for bit (the serialized bytes). */
  static boolean same(RnnEvent a, RnnEvent b) {
    try {
      return java.util.Arrays.equals(bytes(a), bytes(b));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] bytes(RnnEvent e) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    RnnEventSerializer.INSTANCE.serialize(e, out);
    return out.getCopyOfBuffer();
  }

  @Test
  void shouldRoundTripEveryField() throws IOException {
    for (RnnEvent e : samples()) {
      RnnEvent back = RnnEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes(e)));
      assertThat(back).as(e.toString()).isEqualTo(e);
      // equals compares floats with Arrays.equals, which identifies NaNs: compare the bits too
      assertThat(bytes(back)).isEqualTo(bytes(e));
    }
  }

  @Test
  void shouldClearArraysWhenDeserializingIntoAReusedEvent() throws IOException {
    RnnEvent reuse = samples()[0];
    RnnEvent back = RnnEventSerializer.INSTANCE.deserialize(reuse,
        new DataInputDeserializer(bytes(samples()[1])));
    assertThat(back).isEqualTo(samples()[1]);
    assertThat(back.x).isNull();
  }

  @Test
  void shouldCopyArraysSoThatTheCopyIsIndependent() {
    RnnEvent e = samples()[0];
    RnnEvent copy = RnnEventSerializer.INSTANCE.copy(e);
    assertThat(copy).isEqualTo(e);
    copy.x[0] = 9f;
    assertThat(e.x[0]).isEqualTo(0.5f);
    RnnEvent words = samples()[2];
    RnnEvent wordsCopy = RnnEventSerializer.INSTANCE.copy(words);
    wordsCopy.tokens[0] = "changed";
    assertThat(words.tokens[0]).isEqualTo("fly");
  }

  @Test
  void shouldLeaveRnnEventAPojoOutsideTheInferenceEdge() {
    // buffered events in the operator's keyed state, and users' own state, keep their format
    assertThat(TypeInformation.of(RnnEvent.class)).isInstanceOf(PojoTypeInfo.class);
  }

  @Test
  void shouldRejectUnknownFlagsInsteadOfMisreading() throws IOException {
    byte[] b = bytes(RnnEvent.dense("k1", 1, new float[] {1f}));
    // key "k1" (StringValue: length + 1, then 2 chars), seq (8), model null (1): the flags
    int flagsAt = 3 + 8 + 1;
    assertThat(b[flagsAt]).isEqualTo((byte) 4);
    b[flagsAt] = (byte) 0x80;
    assertThatThrownBy(() -> RnnEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(b)))
        .isInstanceOf(IOException.class).hasMessageContaining("flags");
  }
}
