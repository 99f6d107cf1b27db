package io.rnnstream.benchmarks.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.rnnstream.benchmarks.onnx.OnnxModelFiles;
import io.rnnstream.benchmarks.onnx.OnnxParity;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * The ORT keyed operator of {@link OperatorThroughput} keeps one state per key and emits the
 * same probabilities as our {@link RnnModel} stepping each key from the zero state, on the tiny
 * committed sentiment-shaped fixture (LSTM H=8, D=4, softmax over 2).
 */
class OnnxStepFunctionTest {
  static final OnnxModelFiles FILES =
      OnnxModelFiles.in(Path.of("src/test/resources/onnx"), "sentiment_h8_d4");

  @Test
  void shouldMatchRnnModelPerKeyAcrossEvents() throws Exception {
    RnnModel model = FILES.rnnModel();
    Workspace ws = model.newWorkspace();
    Map<String, RnnState> ours = new HashMap<>();
    try (KeyedOneInputStreamOperatorTestHarness<String, RnnEvent, RnnOutput> h =
        ProcessFunctionTestHarnesses.forKeyedProcessFunction(
            new OnnxStepFunction(FILES.onnxBytes(), "tiny"), e -> e.key, Types.STRING)) {
      // Interleaved keys: a state mix-up between keys would show up in the outputs.
      List<String> keys = List.of("a", "b", "a", "a", "b", "c", "a");
      for (int i = 0; i < keys.size(); i++) {
        float[] x = {(float) Math.sin(i), (float) Math.cos(i), 0.5f - i * 0.1f, -0.25f};
        RnnEvent e = RnnEvent.dense(keys.get(i), i, x);
        h.processElement(e, i);

        float[] expected = model.step(
            ours.computeIfAbsent(keys.get(i), k -> model.newState()), x, 0, ws);
        List<RnnOutput> out = h.extractOutputValues();
        RnnOutput o = out.get(out.size() - 1);
        assertThat(out).hasSize(i + 1);
        assertThat(o.key).isEqualTo(keys.get(i));
        assertThat(o.seq).isEqualTo(i);
        assertThat(o.kind).isEqualTo(RnnOutput.Kind.STEP);
        assertThat(o.y).hasSize(2);
        for (int j = 0; j < 2; j++) {
          assertThat(o.y[j]).as("event %d class %d", i, j)
              .isCloseTo(expected[j], within((float) OnnxParity.TOLERANCE));
        }
      }
      assertThat(h.numKeyedStateEntries()).isEqualTo(3);
    }
  }
}
