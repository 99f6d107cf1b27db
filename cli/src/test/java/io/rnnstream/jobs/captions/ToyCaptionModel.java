package io.rnnstream.jobs.captions;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A random caption model for plumbing tests (the trained one is {@code models/pretrained}):
 * an LSTM over 40 log-mel bands whose one hand-set unit tracks loudness, so that silence decodes
 * to blanks (endpoints happen) and sound to characters. Same construction as the operator tests'.
 */
public final class ToyCaptionModel {
  public static final List<String> LABELS = List.of("<blank>", " ", "a", "b", "c", "d", "e");
  /** The committed espeak-ng WAVs (16 kHz mono PCM16). */
  public static final Path WAVS = Path.of("../models/src/test/resources/io/rnnstream/models/audio");

  private ToyCaptionModel() {}

  public static RnnModel create(String name, long version, long seed) {
    int h = 16;
    int c = LABELS.size();
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 40, h).head(c, Activation.IDENTITY).build();
    Map<String, Tensor> w = new HashMap<>(Initializers.uniform(spec, seed, 1.0));
    float[] wih = w.get("rnn.weight_ih_l0").data();
    float[] whh = w.get("rnn.weight_hh_l0").data();
    float[] bih = w.get("rnn.bias_ih_l0").data();
    float[] bhh = w.get("rnn.bias_hh_l0").data();
    for (int g = 0; g < 4; g++) {
      int row = g * h;
      Arrays.fill(wih, row * 40, row * 40 + 40, g == 2 ? 0.5f / 40 : 0f);
      Arrays.fill(whh, row * h, row * h + h, 0f);
      bhh[row] = 0f;
      bih[row] = switch (g) {
        case 0 -> 10f;
        case 1 -> -10f;
        case 2 -> 2.5f;
        default -> 10f;
      };
    }
    float[] head = w.get("head.weight").data();
    head[0] = -8f;
    for (int k = 1; k < c; k++) {
      head[k * h] = 2f;
    }
    return RnnModel.create(spec, w,
        new ModelInfo(name, version, "2026-12-01T00:00:00Z", "test", null, null, LABELS), "test");
  }
}
