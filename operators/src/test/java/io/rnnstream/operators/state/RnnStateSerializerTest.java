package io.rnnstream.operators.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.model.RnnState;
import java.io.IOException;
import java.util.List;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class RnnStateSerializerTest {

  private static final RnnStateSerializer SERIALIZER = RnnStateSerializer.INSTANCE;

  private static final List<RnnState> STATES =
      List.of(
          RnnState.zeros(0),
          RnnState.zeros(3),
          new RnnState(new float[] {0.25f, -1.5f, 3.0e-8f, 42f}, 7),
          new RnnState(new float[] {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE}, 127),
          new RnnState(new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 128),
          new RnnState(new float[] {Float.intBitsToFloat(0x7fc0_1234)}, Long.MAX_VALUE),
          new RnnState(randomValues(3000, 11L), 1_000_000L)); // 12 kB: several copy chunks

  private static float[] randomValues(int n, long seed) {
    java.util.Random random = new java.util.Random(seed);
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }

  private static byte[] serialize(RnnState state) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    SERIALIZER.serialize(state, out);
    return out.getCopyOfBuffer();
  }

  private static void assertBitExact(RnnState actual, RnnState expected) {
    assertThat(actual.steps()).isEqualTo(expected.steps());
    assertThat(actual.values()).hasSameSizeAs(expected.values());
    for (int i = 0; i < expected.values().length; i++) {
      assertThat(Float.floatToRawIntBits(actual.values()[i]))
          .as("bits of value %d", i)
          .isEqualTo(Float.floatToRawIntBits(expected.values()[i]));
    }
  }

  // ---------------------------------------------------------------- round trip

  @Test
  void shouldRoundTripEveryStateBitExactly() throws IOException {
    for (RnnState state : STATES) {
      RnnState read = SERIALIZER.deserialize(new DataInputDeserializer(serialize(state)));

      assertThat(read).isEqualTo(state).isNotSameAs(state);
      assertBitExact(read, state);
    }
  }

  @Test
  void shouldRoundTripAStreamOfStatesBackToBack() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    for (RnnState state : STATES) {
      SERIALIZER.serialize(state, out);
    }

    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    for (RnnState state : STATES) {
      assertThat(SERIALIZER.deserialize(in)).isEqualTo(state);
    }
    assertThat(in.available()).isZero();
  }

  @Test
  void shouldUseTheCompactVersionedLayout() throws IOException {
    // version byte + 1-byte varlong (steps < 128) + int length + 4 floats
    byte[] bytes = serialize(new RnnState(new float[] {1f, 2f, 3f, 4f}, 7));

    assertThat(bytes).hasSize(1 + 1 + 4 + 4 * Float.BYTES);
    assertThat(bytes[0]).isEqualTo((byte) RnnStateSerializer.FORMAT_VERSION);
    assertThat(bytes[1]).isEqualTo((byte) 7);
    // steps = 128 takes two varlong bytes; Long.MAX_VALUE nine
    assertThat(serialize(new RnnState(new float[0], 128))).hasSize(1 + 2 + 4);
    assertThat(serialize(new RnnState(new float[0], Long.MAX_VALUE))).hasSize(1 + 9 + 4);
  }

  @Test
  void shouldCopySerializedRecordsVerbatim() throws IOException {
    DataOutputSerializer original = new DataOutputSerializer(64);
    for (RnnState state : STATES) {
      SERIALIZER.serialize(state, original);
    }
    byte[] bytes = original.getCopyOfBuffer();

    DataInputDeserializer in = new DataInputDeserializer(bytes);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    for (int i = 0; i < STATES.size(); i++) {
      SERIALIZER.copy(in, copied);
    }

    assertThat(copied.getCopyOfBuffer()).isEqualTo(bytes);
  }

  // ---------------------------------------------------------------- copy

  @Test
  void shouldCopyDeeply() {
    RnnState original = new RnnState(new float[] {1f, 2f, 3f}, 5);

    RnnState copy = SERIALIZER.copy(original);
    original.values()[0] = 99f;
    original.reset();

    assertThat(copy).isNotSameAs(original);
    assertThat(copy.values()).isNotSameAs(original.values()).containsExactly(1f, 2f, 3f);
    assertThat(copy.steps()).isEqualTo(5);
  }

  @Test
  void shouldCopyIntoAReuseOfTheSameSizeWithoutSharingArrays() {
    RnnState from = new RnnState(new float[] {1f, 2f}, 3);
    RnnState reuse = RnnState.zeros(2);

    RnnState copy = SERIALIZER.copy(from, reuse);
    from.values()[1] = -7f;

    assertThat(copy).isSameAs(reuse);
    assertThat(copy.values()).isNotSameAs(from.values()).containsExactly(1f, 2f);
    assertThat(copy.steps()).isEqualTo(3);
  }

  @Test
  void shouldAllocateWhenTheReuseHasADifferentSize() {
    RnnState from = new RnnState(new float[] {1f, 2f}, 3);
    RnnState reuse = RnnState.zeros(5);

    RnnState copy = SERIALIZER.copy(from, reuse);

    assertThat(copy).isNotSameAs(reuse).isNotSameAs(from).isEqualTo(from);
    assertThat(copy.values()).isNotSameAs(from.values());
    assertThat(reuse).isEqualTo(RnnState.zeros(5));
  }

  @Test
  void shouldDescribeAMutableVariableLengthType() {
    assertThat(SERIALIZER.isImmutableType()).isFalse();
    assertThat(SERIALIZER.getLength()).isEqualTo(-1);
    assertThat(SERIALIZER.createInstance()).isEqualTo(RnnState.zeros(0));
    assertThat(SERIALIZER.duplicate()).isSameAs(SERIALIZER);
  }

  // ---------------------------------------------------------------- versions

  @Test
  void shouldRejectAnUnknownFormatVersionNamingIt() {
    byte[] bytes = {(byte) 0x07, 0x00, 0x00, 0x00, 0x00, 0x00};

    assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(bytes)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format version 7");
    assertThatThrownBy(
            () -> SERIALIZER.copy(new DataInputDeserializer(bytes), new DataOutputSerializer(8)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("format version 7");
  }

  @Test
  void shouldRejectVersionZeroAndHighVersions() {
    for (int version : new int[] {0, 2, 255}) {
      byte[] bytes = {(byte) version, 0x00, 0x00, 0x00, 0x00, 0x00};

      assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(bytes)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("format version " + version);
    }
  }

  @Test
  void shouldRejectANegativeValueCount() {
    byte[] bytes = {0x01, 0x00, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe};

    assertThatThrownBy(() -> SERIALIZER.deserialize(new DataInputDeserializer(bytes)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("negative value count -2");
  }

  // ---------------------------------------------------------------- snapshots

  @Test
  void shouldWriteAndReadItsSnapshotAndBeCompatibleAsIs() throws IOException {
    TypeSerializerSnapshot<RnnState> written = SERIALIZER.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(64);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, written);

    TypeSerializerSnapshot<RnnState> read =
        TypeSerializerSnapshot.readVersionedSnapshot(
            new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

    assertThat(read).isInstanceOf(RnnStateSerializerSnapshot.class);
    assertThat(((RnnStateSerializerSnapshot) read).formatVersion())
        .isEqualTo(RnnStateSerializer.FORMAT_VERSION);
    assertThat(read.restoreSerializer()).isSameAs(SERIALIZER);
    TypeSerializerSchemaCompatibility<RnnState> compatibility =
        SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(read);
    assertThat(compatibility.isCompatibleAsIs()).isTrue();
  }

  @Test
  void shouldBeIncompatibleWithStateFromANewerFormat() {
    RnnStateSerializerSnapshot fromTheFuture =
        new RnnStateSerializerSnapshot(RnnStateSerializer.FORMAT_VERSION + 1);

    assertThat(
            SERIALIZER
                .snapshotConfiguration()
                .resolveSchemaCompatibility(fromTheFuture)
                .isIncompatible())
        .isTrue();
  }

  @Test
  @SuppressWarnings({"unchecked", "rawtypes"})
  void shouldBeIncompatibleWithAnotherSerializersSnapshot() {
    TypeSerializerSnapshot<RnnState> foreign =
        (TypeSerializerSnapshot) IntSerializer.INSTANCE.snapshotConfiguration();

    assertThat(
            SERIALIZER.snapshotConfiguration().resolveSchemaCompatibility(foreign).isIncompatible())
        .isTrue();
  }

  @Test
  void shouldRejectAnUnknownSnapshotVersion() {
    assertThatThrownBy(
            () ->
                new RnnStateSerializerSnapshot()
                    .readSnapshot(9, new DataInputDeserializer(new byte[4]), null))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("version 9");
  }

  // ---------------------------------------------------------------- type info

  @Test
  void shouldStaySingletonThroughJavaSerialization() throws Exception {
    assertThat(InstantiationUtil.clone(SERIALIZER)).isSameAs(SERIALIZER);
    assertThat(InstantiationUtil.clone(RnnStateTypeInfo.INSTANCE))
        .isSameAs(RnnStateTypeInfo.INSTANCE);
  }

  @Test
  void shouldGiveValueStateDescriptorsTheDedicatedSerializerNotKryo() {
    ValueStateDescriptor<RnnState> descriptor =
        new ValueStateDescriptor<>("rnn-state", RnnStateTypeInfo.INSTANCE);
    descriptor.initializeSerializerUnlessSet(new ExecutionConfig());

    TypeSerializer<RnnState> serializer = descriptor.getSerializer();
    assertThat(serializer).isSameAs(SERIALIZER);

    org.apache.flink.api.common.state.v2.ValueStateDescriptor<RnnState> v2 =
        new org.apache.flink.api.common.state.v2.ValueStateDescriptor<>(
            "rnn-state", RnnStateTypeInfo.INSTANCE);
    v2.initializeSerializerUnlessSet(new ExecutionConfig());
    assertThat(v2.getSerializer()).isSameAs(SERIALIZER);
  }

  @Test
  void shouldDescribeRnnStateAsANonKeyAtomicType() {
    RnnStateTypeInfo info = RnnStateTypeInfo.INSTANCE;

    assertThat(info.getTypeClass()).isEqualTo(RnnState.class);
    assertThat(info.isKeyType()).isFalse();
    assertThat(info.isBasicType()).isFalse();
    assertThat(info.isTupleType()).isFalse();
    assertThat(info.getArity()).isEqualTo(1);
    assertThat(info.getTotalFields()).isEqualTo(1);
    assertThat(info.createSerializer(new ExecutionConfig().getSerializerConfig()))
        .isSameAs(SERIALIZER);
    assertThat(info).isEqualTo(RnnStateTypeInfo.INSTANCE).hasSameHashCodeAs(RnnStateTypeInfo.INSTANCE);
    assertThat(info.canEqual(info)).isTrue();
  }
}
