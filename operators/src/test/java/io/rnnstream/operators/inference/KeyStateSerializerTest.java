package io.rnnstream.operators.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The per-key state's wire format: round trips, a golden v1 record, unknown versions. */
class KeyStateSerializerTest {
  static final Path GOLDEN = Path.of("src/test/resources/key-state-v1.hex");
  final KeyStateSerializer serializer = KeyStateSerializer.INSTANCE;

  /** Bookkeeping in every field and two models (the second state minimal). */
  static KeyState sample() {
    KeyState s = new KeyState();
    s.lastSeq = 41;
    s.waiting = 2;
    s.pending = 3;
    s.gapDeadline = 1_700_000_000_123L;
    s.lastActive = 1_700_000_000_100L;
    s.idleTimer = 1_700_000_060_000L;
    s.add("sentiment", SequenceStateSerializerTest.sample());
    SequenceState minimal = new SequenceState();
    minimal.version = 9;
    minimal.width = 1;
    s.add("slots", minimal);
    return s;
  }

  static byte[] bytes(KeyState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(64);
    KeyStateSerializer.INSTANCE.serialize(s, out);
    return out.getCopyOfBuffer();
  }

  static void assertSameState(KeyState a, KeyState b) {
    assertThat(a).usingRecursiveComparison()
        .ignoringFields("names", "sequences", "deferred").isEqualTo(b);
    assertThat(a.models()).isEqualTo(b.models());
    for (int i = 0; i < a.models(); i++) {
      assertThat(a.name(i)).isEqualTo(b.name(i));
      assertThat(a.sequence(a.name(i))).isSameAs(a.sequence(i));
    }
    SequenceStateSerializerTest.assertSameState(a.sequence(0), b.sequence(0));
    assertThat(a.sequence(1)).usingRecursiveComparison().isEqualTo(b.sequence(1));
  }

  @Test
  void shouldRoundTripEveryFieldAndModel() throws IOException {
    KeyState s = sample();
    assertSameState(serializer.deserialize(new DataInputDeserializer(bytes(s))), s);
  }

  @Test
  void shouldRoundTripAKeyWithoutModels() throws IOException {
    KeyState s = new KeyState();
    s.waiting = 1;
    KeyState back = serializer.deserialize(new DataInputDeserializer(bytes(s)));
    assertThat(back.models()).isZero();
    assertThat(back.lastSeq).isEqualTo(-1);
    assertThat(back.waiting).isEqualTo(1);
  }

  @Test
  void shouldCopyDeeplyAndFindModelsByName() {
    KeyState s = sample();
    KeyState c = serializer.copy(s);
    c.sequence("sentiment").segment.values()[0] = 99f;
    c.add("third", new SequenceState());
    assertThat(s.sequence("sentiment").segment.values()[0]).isEqualTo(0.5f);
    assertThat(s.sequence("third")).isNull();
    assertThat(c.sequence("third")).isNotNull();
    assertThat(c.models()).isEqualTo(3);
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
  void shouldRejectUnknownFormatVersionsAndCorruptCountsByName() throws IOException {
    byte[] b = bytes(sample());
    b[0] = 9;
    assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(b)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Unsupported KeyState format version 9");
    byte[] c = bytes(sample());
    c[1 + 8 + 4 + 4 + 8 + 8 + 8] = (byte) 0x80; // the model count's top byte: negative
    assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(c)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("corrupted state");
  }

  @Test
  void shouldRestoreItsSnapshotAsCompatible() throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(32);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, serializer.snapshotConfiguration());
    TypeSerializerSnapshot<KeyState> restored = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    TypeSerializerSchemaCompatibility<KeyState> compat =
        serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compat.isCompatibleAsIs()).isTrue();
    assertThat(restored.restoreSerializer()).isSameAs(KeyStateSerializer.INSTANCE);
  }
}
