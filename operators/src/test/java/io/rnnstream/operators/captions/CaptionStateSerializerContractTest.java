package io.rnnstream.operators.captions;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.model.RnnModel;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** Flink's own serializer contract run against {@link CaptionStateSerializer}. */
class CaptionStateSerializerContractTest extends SerializerTestBase<CaptionState> {

  @Override
  protected TypeSerializer<CaptionState> createSerializer() {
    return CaptionStateSerializer.INSTANCE;
  }

  @Override
  protected int getLength() {
    return -1;
  }

  @Override
  protected Class<CaptionState> getTypeClass() {
    return CaptionState.class;
  }

  @Override
  protected CaptionState[] getTestData() {
    RnnModel model = CaptionTestModels.model("captions", 1, 3);
    byte[] pcm = CaptionTestModels.le(CaptionTestModels.bursts(2.0, 2.0, 4));
    CaptionState fresh = new CaptionState();
    CaptionState empty = new CaptionState();
    empty.lastSeq = 3;
    empty.waiting = 1;
    CaptionStream greedy = CaptionStream.create(model,
        CaptionConfig.builder().decoder(CaptionConfig.Decoder.GREEDY).build());
    empty.stream = greedy.newState();
    CaptionState mid = new CaptionState();
    mid.lastSeq = 12;
    mid.modelVersion = 1;
    mid.stream = greedy.newState();
    greedy.acceptPcm16Le(mid.stream, pcm, 0, 9_001, u -> {});
    CaptionStream beam = CaptionStream.create(model, CaptionConfig.defaults());
    CaptionState beamMid = new CaptionState();
    beamMid.modelVersion = 1;
    beamMid.stream = beam.newState();
    beam.acceptPcm16Le(beamMid.stream, pcm, 0, pcm.length, u -> {});
    return new CaptionState[] {fresh, empty, mid, beamMid};
  }

  @Override
  protected void deepEquals(String message, CaptionState should, CaptionState is) {
    assertThat(bytes(is)).as(message).isEqualTo(bytes(should));
  }

  private static byte[] bytes(CaptionState s) {
    DataOutputSerializer out = new DataOutputSerializer(256);
    try {
      CaptionStateSerializer.INSTANCE.serialize(s, out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.getCopyOfBuffer();
  }
}
