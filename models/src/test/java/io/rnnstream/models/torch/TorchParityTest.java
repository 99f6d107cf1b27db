package io.rnnstream.models.torch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture written by {@code models/src/test/python/make_torch_fixtures.py} (PyTorch
 * reference outputs) is imported and replayed: segments of unidirectional models carry state from
 * one segment to the next, bidirectional segments start fresh. Tolerance: 1e-5 relative to the
 * value plus 1e-6 absolute.
 */
class TorchParityTest {
  static final Path FIXTURES = Path.of("src/test/resources/torch");
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<String> cases() throws IOException {
    try (Stream<Path> files = Files.list(FIXTURES)) {
      return files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".json"))
          .map(n -> n.substring(0, n.length() - ".json".length()))
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void matchesPyTorch(String name) throws IOException {
    JsonNode fixture = JSON.readTree(FIXTURES.resolve(name + ".json").toFile());
    ImportConfig config = JSON.treeToValue(fixture.get("config"), ImportConfig.class);
    Map<String, Tensor> file = SafeTensors.read(FIXTURES.resolve(name + ".safetensors"));
    RnnModel model = TorchImporter.importTensors(file, config, name, name).model();

    boolean carry = fixture.get("carry").asBoolean();
    RnnState state = carry ? model.newState() : null;
    Workspace ws = model.newWorkspace();
    int segment = 0;
    for (JsonNode seg : fixture.get("segments")) {
      float[][] expected = matrix(seg.get("y"));
      float[][] actual;
      if (carry) {
        actual = new float[expected.length][];
        for (int t = 0; t < expected.length; t++) {
          actual[t] = seg.has("ids")
              ? model.stepToken(state, seg.get("ids").get(t).asInt(), ws).clone()
              : model.step(state, matrix(seg.get("x"))[t], 0, ws).clone();
        }
      } else {
        actual = seg.has("ids")
            ? model.forwardTokens(ints(seg.get("ids")))
            : model.forwardSegment(matrix(seg.get("x")));
      }
      assertClose(name + " segment " + segment, actual, expected);
      segment++;
    }
  }

  static void assertClose(String what, float[][] actual, float[][] expected) {
    assertThat(actual.length).as(what + " steps").isEqualTo(expected.length);
    for (int t = 0; t < expected.length; t++) {
      assertThat(actual[t].length).as(what + " width at step " + t).isEqualTo(expected[t].length);
      for (int j = 0; j < expected[t].length; j++) {
        double tol = 1e-5 * Math.abs(expected[t][j]) + 1e-6;
        assertThat((double) actual[t][j])
            .as("%s step %d unit %d", what, t, j)
            .isCloseTo(expected[t][j], org.assertj.core.api.Assertions.within(tol));
      }
    }
  }

  static float[][] matrix(JsonNode rows) {
    float[][] m = new float[rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      JsonNode r = rows.get(i);
      m[i] = new float[r.size()];
      for (int j = 0; j < r.size(); j++) {
        m[i][j] = (float) r.get(j).asDouble();
      }
    }
    return m;
  }

  static int[] ints(JsonNode a) {
    int[] out = new int[a.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.get(i).asInt();
    }
    return out;
  }
}
