package io.rnnstream.operators.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** {@link RnnOutputSerializer}: every field survives, copies are deep, Flink picks it up. */
class RnnOutputSerializerTest {

  /** Outputs with every field set, with every nullable field null, and the usual STEP shape. */
  static RnnOutput[] samples() {
    RnnOutput full = new RnnOutput();
    full.key = "user-7";
    full.seq = 41;
    full.model = "slots";
    full.modelVersion = 3;
    full.kind = RnnOutput.Kind.STEPS;
    full.segment = 5;
    full.step = 3;
    full.y = new float[] {0.1f, 0.7f, 0.2f, Float.NaN, -0f, Float.MIN_VALUE};
    full.label = "B-city";
    full.stepLabels = new String[] {"O", null, "B-city"};
    full.probability = 0.7f;
    full.tokens = new String[] {"fly", "to", "Zürich"};
    full.latencyMs = 12;
    RnnOutput empty = new RnnOutput();
    RnnOutput step = new RnnOutput();
    step.key = "k1";
    step.seq = Long.MAX_VALUE;
    step.model = "sentiment";
    step.modelVersion = 1;
    step.kind = RnnOutput.Kind.STEP;
    step.y = new float[] {0.25f, 0.75f};
    step.label = "positive";
    step.probability = 0.75f;
    step.stepLabels = new String[0];
    return new RnnOutput[] {full, empty, step};
  }

  /** Every field equal (floats by bits), unlike {@link RnnOutput#equals}. */
  static boolean sameFields(RnnOutput a, RnnOutput b) {
    return Objects.equals(a.key, b.key) && a.seq == b.seq && Objects.equals(a.model, b.model)
        && a.modelVersion == b.modelVersion && a.kind == b.kind && a.segment == b.segment
        && a.step == b.step && Arrays.equals(a.y, b.y) && Objects.equals(a.label, b.label)
        && Arrays.equals(a.stepLabels, b.stepLabels)
        && Float.floatToRawIntBits(a.probability) == Float.floatToRawIntBits(b.probability)
        && Arrays.equals(a.tokens, b.tokens) && a.latencyMs == b.latencyMs;
  }

  @Test
  void shouldRoundTripEveryField() throws IOException {
    for (RnnOutput o : samples()) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      RnnOutputSerializer.INSTANCE.serialize(o, out);
      RnnOutput back = RnnOutputSerializer.INSTANCE.deserialize(
          new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(sameFields(o, back)).as(o.toString()).isTrue();
    }
  }

  @Test
  void shouldCopyArraysSoThatTheCopyIsIndependent() {
    RnnOutput o = samples()[0];
    RnnOutput copy = RnnOutputSerializer.INSTANCE.copy(o);
    assertThat(sameFields(o, copy)).isTrue();
    copy.y[0] = 9f;
    copy.stepLabels[0] = "changed";
    copy.tokens[0] = "changed";
    assertThat(o.y[0]).isEqualTo(0.1f);
    assertThat(o.stepLabels[0]).isEqualTo("O");
    assertThat(o.tokens[0]).isEqualTo("fly");
  }

  @Test
  void shouldBeWhatFlinkUsesForRnnOutput() {
    assertThat(TypeInformation.of(RnnOutput.class)).isSameAs(RnnOutputTypeInfo.INSTANCE);
  }

  @Test
  void shouldRejectAnUnknownKindInsteadOfMisreading() throws IOException {
    RnnOutput o = samples()[2];
    DataOutputSerializer out = new DataOutputSerializer(64);
    RnnOutputSerializer.INSTANCE.serialize(o, out);
    byte[] bytes = out.getCopyOfBuffer();
    // key "k1" (StringValue: length + 1, then 2 chars), seq (8), model "sentiment" (1 + 9),
    // modelVersion (8): the kind byte follows
    int kindAt = 3 + 8 + 10 + 8;
    assertThat(bytes[kindAt]).isEqualTo((byte) RnnOutput.Kind.STEP.ordinal());
    bytes[kindAt] = 42;
    assertThatThrownBy(() -> RnnOutputSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(bytes))).isInstanceOf(IOException.class)
        .hasMessageContaining("kind");
  }

  @Test
  void shouldRejectUnknownArrayFlags() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    RnnOutputSerializer.INSTANCE.serialize(new RnnOutput(), out);
    byte[] bytes = out.getCopyOfBuffer();
    // no arrays: the flags byte is the last one
    assertThat(bytes[bytes.length - 1]).isZero();
    bytes[bytes.length - 1] = 8;
    assertThatThrownBy(() -> RnnOutputSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(bytes))).isInstanceOf(IOException.class)
        .hasMessageContaining("array flags");
  }
}
