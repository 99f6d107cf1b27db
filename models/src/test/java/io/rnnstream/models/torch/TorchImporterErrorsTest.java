package io.rnnstream.models.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.ModelFormatException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Import failures name the tensor, the expected shape and what the file holds. */
class TorchImporterErrorsTest {
  static final Path FIXTURES = TorchParityTest.FIXTURES;

  private static ImportConfig gru(int input, int hidden, int layers, String prefix) {
    return new ImportConfig("gru", input, hidden, layers, false, prefix, null, null, null);
  }

  private static Map<String, Tensor> gruFile() throws Exception {
    // gru_l2_nobias_uni: input 4, hidden 5, 2 layers, no bias
    return SafeTensors.read(FIXTURES.resolve("gru_l2_nobias_uni.safetensors"));
  }

  @Test
  void shouldNameTheMissingTensorAndItsShape() throws Exception {
    Map<String, Tensor> file = new LinkedHashMap<>(gruFile());
    file.remove("rnn.weight_hh_l1");
    assertThatThrownBy(() -> TorchImporter.importTensors(file, gru(4, 5, 2, "rnn."), "m", "f"))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("missing tensor 'rnn.weight_hh_l1' of shape [15, 5]")
        .hasMessageContaining("the file holds: rnn.weight_hh_l0 [15, 5]");
  }

  @Test
  void shouldNameTheMisshapedTensor() throws Exception {
    assertThatThrownBy(() -> TorchImporter.importTensors(gruFile(), gru(4, 6, 2, "rnn."), "m", "f"))
        .hasMessageContaining("tensor 'rnn.weight_ih_l0' has shape [15, 4], expected [18, 4]");
  }

  @Test
  void shouldAskForMoreLayersWhenTheConfigUndercounts() throws Exception {
    var result = TorchImporter.importTensors(gruFile(), gru(4, 5, 1, "rnn."), "m", "f");
    assertThat(result.ignoredTensors()).containsExactly("rnn.weight_hh_l1", "rnn.weight_ih_l1");
  }

  @Test
  void shouldExplainAWrongPrefix() throws Exception {
    assertThatThrownBy(() -> TorchImporter.importTensors(gruFile(), gru(4, 5, 2, "lstm."), "m", "f"))
        .hasMessageContaining("no tensor 'lstm.weight_ih_l0' (rnn_prefix is 'lstm.')")
        .hasMessageContaining("rnn.weight_ih_l0 [15, 4]");
  }

  @Test
  void shouldRejectUnknownCellsAndConfigKeys(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> TorchImporter.importTensors(gruFile(),
        new ImportConfig("lstmm", 4, 5, 2, false, "rnn.", null, null, null), "m", "f"))
        .hasMessageContaining("'lstmm': expected lstm, gru, rnn_tanh or rnn_relu");
    Path config = dir.resolve("c.json");
    Files.writeString(config, "{\"cell\": \"gru\", \"input_size\": 4, \"hiden_size\": 5}");
    assertThatThrownBy(() -> TorchImporter.readConfig(config))
        .hasMessageContaining("unknown config key 'hiden_size'");
  }

  @Test
  void shouldRejectUnsupportedDtypesAndTruncatedFiles(@TempDir Path dir) throws Exception {
    byte[] ok = Files.readAllBytes(FIXTURES.resolve("gru_l2_nobias_uni.safetensors"));
    byte[] cut = java.util.Arrays.copyOf(ok, ok.length - 10);
    assertThatThrownBy(() -> SafeTensors.parse(cut, "cut.safetensors"))
        .hasMessageContaining("cut.safetensors")
        .hasMessageContaining("truncated");
    String header = "{\"w\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}";
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(8 + header.length() + 8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    buf.putLong(header.length()).put(header.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThatThrownBy(() -> SafeTensors.parse(buf.array(), "f64.safetensors"))
        .hasMessageContaining("dtype F64")
        .hasMessageContaining("F32, F16 and BF16");
  }

  @Test
  void shouldConvertHalfPrecisionExactly() {
    assertThat(SafeTensors.halfToFloat((short) 0x3c00)).isEqualTo(1f);
    assertThat(SafeTensors.halfToFloat((short) 0xc000)).isEqualTo(-2f);
    assertThat(SafeTensors.halfToFloat((short) 0x7bff)).isEqualTo(65504f);
    assertThat(SafeTensors.halfToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
    assertThat(SafeTensors.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    assertThat(SafeTensors.halfToFloat((short) 0x7e00)).isNaN();
  }

  @Test
  void shouldRoundTripOurOwnSafetensorsWriter() {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    tensors.put("a", Tensor.matrix(2, 3, new float[] {1, 2, 3, 4, 5, 6}));
    tensors.put("b", Tensor.vector(-1.5f));
    assertThat(SafeTensors.parse(SafeTensors.toBytes(tensors), "mem")).isEqualTo(tensors);
  }
}
