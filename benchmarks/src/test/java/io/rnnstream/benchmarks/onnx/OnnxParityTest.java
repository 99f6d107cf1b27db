package io.rnnstream.benchmarks.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ONNX Runtime and our {@code RnnModel} agree with PyTorch (and so with each other) within
 * {@link OnnxParity#TOLERANCE} on the tiny committed fixtures (H=8, D=4, batch 3, two chained
 * steps), written by {@code /usr/bin/python3 benchmarks/onnx/export_onnx.py --fixtures}. Needs no
 * Python: the ONNX graphs are committed, ORT's native library is inside its jar.
 */
class OnnxParityTest {
  static final Path FIXTURES = Path.of("src/test/resources/onnx");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"lstm_h8_d4", "gru_h8_d4", "sentiment_h8_d4"})
  void shouldAgreeWithPyTorchAndEachOther(String name) throws Exception {
    OnnxParity p = OnnxParity.check(OnnxModelFiles.in(FIXTURES, name));

    assertThat(p.ortVsTorch()).as("ORT vs torch").isLessThanOrEqualTo(OnnxParity.TOLERANCE);
    assertThat(p.oursVsTorch()).as("ours vs torch").isLessThanOrEqualTo(OnnxParity.TOLERANCE);
    assertThat(p.oursVsOrt()).as("ours vs ORT").isLessThanOrEqualTo(OnnxParity.TOLERANCE);
  }

  @Test
  void shouldReadShapesFromTheGraph() throws Exception {
    byte[] onnx = OnnxModelFiles.in(FIXTURES, "sentiment_h8_d4").onnxBytes();
    try (OnnxStep step = new OnnxStep(onnx, 2)) {
      assertThat(step.inputSize()).isEqualTo(4);
      assertThat(step.hiddenSize()).isEqualTo(8);
      assertThat(step.stateSize()).isEqualTo(16);
      assertThat(step.classes()).isEqualTo(2);
    }
  }

  @Test
  void shouldNameTheExportScriptWhenFilesAreMissing() {
    assertThatThrownBy(() -> OnnxModelFiles.in(FIXTURES, "lstm_h999_d4"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("lstm_h999_d4.onnx")
        .hasMessageContaining("benchmarks/onnx/export_onnx.py");
  }
}
