package io.rnnstream.models.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelFormatException;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Pooling;
import io.rnnstream.models.model.RnnModel;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotFormatTest {

  static RnnModel sample() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 5, 6)
        .numLayers(2).peepholes(true).vocabSize(11)
        .pooling(Pooling.ATTENTION).head(2, Activation.SOFTMAX).build();
    ModelInfo info = new ModelInfo("sentiment", 7, "2026-11-29T00:00:00Z", "unit-test",
        Map.of("accuracy", 0.81), List.of("a", "b"), List.of("negative", "positive"));
    return RnnModel.create(spec, Initializers.uniform(spec, 42, 1.0), info, "test");
  }

  @Test
  void shouldRoundTripArchitectureWeightsAndMetadata(@TempDir Path dir) throws Exception {
    RnnModel model = sample();
    Path file = dir.resolve("m.rnn");
    SnapshotFormat.write(model, file);

    RnnModel back = SnapshotFormat.read(file);

    assertThat(back.spec()).isEqualTo(model.spec());
    assertThat(back.info()).isEqualTo(model.info());
    assertThat(back.tensors()).isEqualTo(model.tensors());
    int[] ids = {1, 4, 10, 0};
    assertThat(back.forwardTokens(ids)).isDeepEqualTo(model.forwardTokens(ids));
  }

  @Test
  void shouldBeByteStableForTheSameModel() {
    assertThat(SnapshotFormat.toBytes(sample())).isEqualTo(SnapshotFormat.toBytes(sample()));
  }

  @Test
  void shouldRejectAnyFlippedByteWithAChecksumMismatch() {
    byte[] bytes = SnapshotFormat.toBytes(sample());
    for (int pos : new int[] {20, bytes.length / 2, bytes.length - 40}) {
      byte[] bad = bytes.clone();
      bad[pos] ^= 0x10;
      assertThatThrownBy(() -> SnapshotFormat.fromBytes(bad, "m.rnn"))
          .as("flip at %d", pos)
          .isInstanceOf(ModelFormatException.class)
          .hasMessageContaining("m.rnn");
    }
    byte[] bad = bytes.clone();
    bad[bytes.length / 2] ^= 0x10; // inside tensor data: only the checksum can tell
    assertThatThrownBy(() -> SnapshotFormat.fromBytes(bad, "m.rnn"))
        .hasMessageContaining("checksum mismatch");
  }

  @Test
  void shouldRejectTruncatedFiles() {
    byte[] bytes = SnapshotFormat.toBytes(sample());
    for (int len : new int[] {0, 7, 30, bytes.length / 2, bytes.length - 1}) {
      byte[] cut = Arrays.copyOf(bytes, len);
      assertThatThrownBy(() -> SnapshotFormat.fromBytes(cut, "m.rnn"))
          .as("length %d", len)
          .isInstanceOf(ModelFormatException.class)
          .hasMessageMatching("(?s).*(truncated|checksum).*");
    }
  }

  @Test
  void shouldRejectFutureFormatVersionsSayingWhatToDo() {
    byte[] bytes = SnapshotFormat.toBytes(sample());
    ByteBuffer.wrap(bytes).putInt(SnapshotFormat.MAGIC.length, SnapshotFormat.FORMAT_VERSION + 1);
    assertThatThrownBy(() -> SnapshotFormat.fromBytes(bytes, "m.rnn"))
        .hasMessageContaining("format version 2 is not supported")
        .hasMessageContaining("upgrade rnnstream");
  }

  @Test
  void shouldRejectFilesThatAreNotSnapshots() {
    byte[] safetensors = new byte[64];
    assertThatThrownBy(() -> SnapshotFormat.fromBytes(safetensors, "weights.safetensors"))
        .hasMessageContaining("not an rnnstream model snapshot")
        .hasMessageContaining("rnnstream import");
  }
}
