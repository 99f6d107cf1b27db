package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.model.RnnState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The keyed state's wire format: round trips, a golden v1 record, unknown versions. */
class SequenceStateSerializerTest {
  static final Path GOLDEN = Path.of("src/test/resources/sequence-state-v1.hex");
  final SequenceStateSerializer serializer = SequenceStateSerializer.INSTANCE;

  static SequenceState sample() {
    SequenceState s = new SequenceState();
    s.version = 7;
    s.layout = 0x1234abcd;
    s.segmentOpen = true;
    s.segments = 3;
    s.segmentSteps = 2;
    s.width = 2;
    s.segment = new RnnState(new float[] {0.5f, -1.25f, 3f}, 2);
    s.rolling = new RnnState(new float[] {1f, 2f, -0f}, 11);
    s.ring = new float[] {1, 2, 3, 4, 5, 6};
    s.ringCount = 3;
    s.ringNext = 0;
    s.open = new float[] {9, 8, 7, 6, 0, 0};
    s.openRows = 2;
    return s;
  }

  static byte[] bytes(SequenceState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    SequenceStateSerializer.INSTANCE.serialize(s, out);
    return out.getCopyOfBuffer();
  }

  static void assertSameState(SequenceState a, SequenceState b) {
    assertThat(a).usingRecursiveComparison().ignoringFields("open").isEqualTo(b);
    assertThat(java.util.Arrays.copyOf(a.open, a.openRows * a.width))
        .containsExactly(java.util.Arrays.copyOf(b.open, b.openRows * b.width));
  }

  @Test
  void shouldRoundTripEveryField() throws IOException {
    SequenceState s = sample();
    SequenceState back = serializer.deserialize(new DataInputDeserializer(bytes(s)));
    assertSameState(back, s);
  }

  @Test
  void shouldRoundTripAMinimalState() throws IOException {
    SequenceState s = new SequenceState();
    s.version = 1;
    s.width = 3;
    SequenceState back = serializer.deserialize(new DataInputDeserializer(bytes(s)));
    assertThat(back).usingRecursiveComparison().isEqualTo(s);
  }

  @Test
  void shouldCopyDeeply() {
    SequenceState s = sample();
    SequenceState c = serializer.copy(s);
    c.segment.values()[0] = 99f;
    c.ring[0] = 99f;
    assertThat(s.segment.values()[0]).isEqualTo(0.5f);
    assertThat(s.ring[0]).isEqualTo(1f);
  }

  /**
   * A record written by format version 1, committed as hex: every later build must keep reading
   * it (a format change adds a branch, never breaks this test). Regenerate only by hand, never to
   * make a failing test pass.
   */
  @Test
  void shouldReadTheGoldenVersion1Record() throws IOException {
    byte[] golden = HexFormat.of().parseHex(Files.readString(GOLDEN).trim());
    assertSameState(serializer.deserialize(new DataInputDeserializer(golden)), sample());
  }

  @Test
  void shouldRejectUnknownFormatVersionsByName() throws IOException {
    byte[] b = bytes(sample());
    b[0] = 9;
    assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(b)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unsupported SequenceState format version 9");
  }

  @Test
  void shouldRestoreItsSnapshotAsCompatible() throws IOException {
    TypeSerializerSnapshot<SequenceState> snap = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(32);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
    TypeSerializerSnapshot<SequenceState> restored = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    TypeSerializerSchemaCompatibility<SequenceState> compat =
        serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compat.isCompatibleAsIs()).isTrue();
    assertThat(restored.restoreSerializer()).isSameAs(SequenceStateSerializer.INSTANCE);
  }
}
