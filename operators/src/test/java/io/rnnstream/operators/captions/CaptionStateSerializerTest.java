package io.rnnstream.operators.captions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.ctc.PrefixBeamSearch;
import io.rnnstream.models.model.RnnModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The caption operator's keyed state on the wire: round trips, a golden v1 record, versions. */
class CaptionStateSerializerTest {
  static final Path GOLDEN = Path.of("src/test/resources/caption-state-v1.hex");
  static final RnnModel MODEL = CaptionTestModels.model("captions", 3, 3);
  static final byte[] PCM = CaptionTestModels.le(CaptionTestModels.bursts(3.0, 2.0, 1));
  /** Mid-utterance, with an odd byte pending: every part of the state is non-trivial. */
  static final int CUT = 2 * 20_000 + 101;
  final CaptionStateSerializer serializer = CaptionStateSerializer.INSTANCE;

  static CaptionStream captioner() {
    return CaptionStream.create(MODEL, CaptionConfig.defaults());
  }

  static CaptionState sample() {
    CaptionStream c = captioner();
    CaptionState s = new CaptionState();
    s.lastSeq = 41;
    s.modelVersion = 3;
    s.waiting = 2;
    s.lastActive = 1_700_000_000_000L;
    s.idleTimer = 1_700_000_060_000L;
    s.stream = c.newState();
    c.acceptPcm16Le(s.stream, PCM, 0, CUT, u -> {});
    return s;
  }

  static byte[] bytes(CaptionState s) throws IOException {
    DataOutputSerializer out = new DataOutputSerializer(256);
    CaptionStateSerializer.INSTANCE.serialize(s, out);
    return out.getCopyOfBuffer();
  }

  CaptionState read(byte[] b) throws IOException {
    return serializer.deserialize(new DataInputDeserializer(b));
  }

  /** Feeds the rest of the audio and ends the stream. */
  static List<CaptionUpdate> rest(CaptionStream c, CaptionStream.State s) {
    List<CaptionUpdate> out = new ArrayList<>();
    c.acceptPcm16Le(s, PCM, CUT, PCM.length - CUT, out::add);
    c.endOfStream(s, out::add);
    return out;
  }

  @Test
  void shouldRoundTripAndContinueIdentically() throws IOException {
    CaptionState s = sample();
    byte[] b = bytes(s);
    CaptionState back = read(b);
    assertThat(bytes(back)).isEqualTo(b);
    assertThat(back).usingRecursiveComparison().comparingOnlyFields(
        "lastSeq", "modelVersion", "waiting", "lastActive", "idleTimer").isEqualTo(s);
    List<CaptionUpdate> expected = rest(captioner(), s.stream);
    assertThat(expected).isNotEmpty();
    assertThat(rest(captioner(), back.stream)).isEqualTo(expected);
  }

  @Test
  void shouldRoundTripAStateWithoutAStream() throws IOException {
    CaptionState s = new CaptionState();
    s.lastSeq = 7;
    s.waiting = 3;
    CaptionState back = read(bytes(s));
    assertThat(back).usingRecursiveComparison().isEqualTo(s);
  }

  @Test
  void shouldCopyDeeply() {
    CaptionState s = sample();
    CaptionState c = serializer.copy(s);
    c.stream.rnn().values()[0] = 99f;
    c.lastSeq = 1;
    assertThat(s.stream.rnn().values()[0]).isNotEqualTo(99f);
    assertThat(s.lastSeq).isEqualTo(41);
  }

  /**
   * A record written by format version 1 (stream state version 1, LogMelState version 1, beam
   * search state version 1), committed as hex: every later build must keep reading it. Regenerate
   * only by hand, never to make a failing test pass.
   */
  @Test
  void shouldReadTheGoldenVersion1Record() throws IOException {
    byte[] golden = HexFormat.of().parseHex(Files.readString(GOLDEN).trim());
    CaptionState s = read(golden);
    assertThat(bytes(s)).isEqualTo(golden);
    assertThat(s.lastSeq).isEqualTo(41);
    assertThat(s.modelVersion).isEqualTo(3);
    assertThat(s.waiting).isEqualTo(2);
    assertThat(s.lastActive).isEqualTo(1_700_000_000_000L);
    assertThat(s.idleTimer).isEqualTo(1_700_000_060_000L);
    CaptionStream.State st = s.stream;
    assertThat(st.frames()).isEqualTo(123); // 20 050 samples: 1 + (20 050 - 400) / 160 frames
    assertThat(st.segment()).isZero();
    assertThat(st.segmentStart()).isZero();
    assertThat(st.said()).isTrue();
    assertThat(st.revision()).isEqualTo(10);
    assertThat(st.mel().samplesAccepted()).isEqualTo(20_050);
    assertThat(st.mel().bufferedSamples()).isEqualTo(20_050 - 123 * 160);
    assertThat(st.mel().hasPendingByte()).isTrue();
    assertThat(st.rnn().values()).hasSize(2 * CaptionTestModels.H);
    assertThat(st.rnn().steps()).isEqualTo(123);
    PrefixBeamSearch beam = PrefixBeamSearch.builder(CaptionTestModels.alphabet()).beamWidth(8)
        .commitAfterFrames(100).build();
    assertThat(beam.result(beam.fromBytes(st.decoderBytes())).text()).isNotEmpty();
    // and it goes on decoding where it stopped
    assertThat(rest(captioner(), st)).last().satisfies(u -> assertThat(u.isFinal()).isTrue());
  }

  @Test
  void shouldRejectUnknownFormatVersionsByName() throws IOException {
    byte[] b = bytes(sample());
    b[0] = 9;
    assertThatThrownBy(() -> read(b)).isInstanceOf(IOException.class)
        .hasMessageContaining("Unsupported CaptionState format version 9");
    byte[] c = bytes(sample());
    c[1 + 8 + 8 + 4 + 8 + 8 + 1 + 4] = 7; // the stream state's own version byte
    assertThatThrownBy(() -> read(c)).isInstanceOf(IOException.class)
        .hasMessageContaining("caption stream state version 7 is not supported");
  }

  @Test
  void shouldRejectTruncatedRecords() throws IOException {
    byte[] b = bytes(sample());
    byte[] cut = java.util.Arrays.copyOf(b, b.length - 5);
    assertThatThrownBy(() -> read(cut)).isInstanceOf(IOException.class);
  }

  @Test
  void shouldRestoreItsSnapshotAsCompatible() throws IOException {
    TypeSerializerSnapshot<CaptionState> snap = serializer.snapshotConfiguration();
    DataOutputSerializer out = new DataOutputSerializer(32);
    TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
    TypeSerializerSnapshot<CaptionState> restored = TypeSerializerSnapshot.readVersionedSnapshot(
        new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());
    TypeSerializerSchemaCompatibility<CaptionState> compat =
        serializer.snapshotConfiguration().resolveSchemaCompatibility(restored);
    assertThat(compat.isCompatibleAsIs()).isTrue();
    assertThat(restored.restoreSerializer()).isSameAs(CaptionStateSerializer.INSTANCE);
  }

  /** Prints the golden record (run by hand with -Dgolden.print=true when the format is new). */
  @Test
  void printGoldenWhenAsked() throws IOException {
    if (Boolean.getBoolean("golden.print")) {
      System.out.println("GOLDEN " + HexFormat.of().formatHex(bytes(sample())));
    }
  }
}
