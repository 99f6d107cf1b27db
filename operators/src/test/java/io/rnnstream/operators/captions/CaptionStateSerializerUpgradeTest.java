package io.rnnstream.operators.captions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.state.SerializerFixtures;
import io.rnnstream.operators.state.SerializerUpgradeContract;
import java.util.List;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * {@link CaptionState} across builds: the committed snapshots and records of earlier builds ({@code
 * serializer-snapshots/caption-state-*.hex}, see {@link SerializerFixtures}) restore. Its versioned
 * snapshot answers compatibility at restore: the format of every earlier build as is; a newer or
 * unknown format, an unknown snapshot layout and another serializer's snapshot incompatible, with a
 * message naming the type and the versions.
 */
public class CaptionStateSerializerUpgradeTest extends SerializerUpgradeContract<CaptionState> {
  static final CaptionStateSerializer SERIALIZER = CaptionStateSerializer.INSTANCE;

  /**
   * The records every fixture holds, in order (changing them breaks the committed fixtures): a
   * stream mid-utterance and a key waiting for its model, without a stream.
   */
  public static List<CaptionState> records() {
    CaptionState waiting = new CaptionState();
    waiting.lastSeq = 4;
    waiting.waiting = 3;
    waiting.lastActive = 1_700_000_000_500L;
    return List.of(CaptionStateSerializerTest.sample(), waiting);
  }

  /**
   * The bookkeeping fields and the stream's position; the stream's floats come from a model
   * built in the test, so they are compared by the fixture's own bytes (written again
   * identically), not recomputed.
   */
  public static void same(CaptionState read, CaptionState expected) {
    assertThat(read).usingRecursiveComparison().comparingOnlyFields(
        "lastSeq", "modelVersion", "waiting", "lastActive", "idleTimer").isEqualTo(expected);
    assertThat(read.stream == null).isEqualTo(expected.stream == null);
    if (expected.stream != null) {
      assertThat(read.stream.frames()).isEqualTo(expected.stream.frames());
      assertThat(read.stream.mel().samplesAccepted())
          .isEqualTo(expected.stream.mel().samplesAccepted());
    }
  }

  @Override
  protected TypeSerializer<CaptionState> serializer() {
    return SERIALIZER;
  }

  @Override
  protected String typeName() {
    return "CaptionState";
  }

  @Override
  protected String fixtureName() {
    return "caption-state";
  }

  @Override
  protected int formatVersion() {
    return CaptionStateSerializer.FORMAT_VERSION;
  }

  @Override
  protected List<CaptionState> fixtureRecords() {
    return records();
  }

  @Override
  protected void assertSame(CaptionState read, CaptionState expected) {
    same(read, expected);
  }
}
