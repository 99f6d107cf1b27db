package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI contract of {@code docs/cli.md}, end to end through {@link RnnstreamCli#run}: a PyTorch
 * fixture is imported, then replayed through {@code infer} with keys interleaved, and must give
 * PyTorch's numbers.
 */
class CliTest {
  static final Path FIXTURES = Path.of("../models/src/test/resources/torch");
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final CliCapture cli = new CliCapture();

  private Path importFixture(Path dir, String name) throws Exception {
    JsonNode fixture = JSON.readTree(FIXTURES.resolve(name + ".json").toFile());
    Path config = dir.resolve(name + ".config.json");
    Files.writeString(config, fixture.get("config").toString());
    Path model = dir.resolve(name + ".rnn");
    int rc = cli.run(null, "import", "--torch",
        FIXTURES.resolve(name + ".safetensors").toString(), "--config", config.toString(),
        "--out", model.toString());
    assertThat(rc).as("import exit code; stderr: %s", cli.err).isZero();
    return model;
  }

  @Test
  void shouldReplayPyTorchOutputsWithKeysInterleaved(@TempDir Path dir) throws Exception {
    String name = "gru_l2_uni_head_softmax";
    Path model = importFixture(dir, name);
    JsonNode segments = JSON.readTree(FIXTURES.resolve(name + ".json").toFile()).get("segments");
    // Two keys run the same sequence, their lines interleaved: state must be per key.
    StringBuilder lines = new StringBuilder();
    for (JsonNode seg : segments) {
      for (String key : new String[] {"k1", "k2"}) {
        lines.append("{\"key\":\"").append(key).append("\",\"x\":").append(seg.get("x"))
            .append("}\n");
      }
    }
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, lines);

    int rc = cli.run(null, "infer", "--model", model.toString(), "--input", input.toString());

    assertThat(rc).isZero();
    List<String> result = cli.stdout();
    assertThat(result).hasSize(2 * segments.size());
    for (int i = 0; i < result.size(); i++) {
      JsonNode line = JSON.readTree(result.get(i));
      assertThat(line.get("key").asText()).isEqualTo(i % 2 == 0 ? "k1" : "k2");
      JsonNode expected = segments.get(i / 2).get("y");
      JsonNode actual = line.get("y");
      assertThat(actual.size()).isEqualTo(expected.size());
      for (int t = 0; t < expected.size(); t++) {
        for (int j = 0; j < expected.get(t).size(); j++) {
          double e = expected.get(t).get(j).asDouble();
          assertThat(actual.get(t).get(j).asDouble())
              .isCloseTo(e, org.assertj.core.api.Assertions.within(1e-5 * Math.abs(e) + 1e-6));
        }
      }
    }
  }

  @Test
  void shouldReportBadLinesAndKeepOtherKeysGoing(@TempDir Path dir) throws Exception {
    Path model = importFixture(dir, "lstm_l1_uni_head_identity"); // input 4
    String good = "{\"key\":\"a\",\"x\":[[0.1,0.2,0.3,0.4]]}";
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, String.join("\n",
        good,
        "{\"key\":\"a\",\"x\":[[1,2,3]]}",
        "this is not json",
        "{\"key\":7,\"x\":[[0,0,0,NaN]]}",
        "{\"x\":[[0,0,0,0]]}",
        "{\"key\":\"b\",\"ids\":[1,2]}",
        good,
        "{\"key\":\"a\",\"x\":[[0.1,0.2,0.3,0.4]],\"reset\":true}") + "\n");

    int rc = cli.run(null, "infer", "--model", model.toString(), "--input", input.toString());

    assertThat(rc).isEqualTo(1);
    List<String> result = cli.stdout();
    assertThat(result).hasSize(8);
    assertThat(JSON.readTree(result.get(1)).get("error").asText())
        .isEqualTo("x[0] has 3 values, the model expects 4");
    assertThat(JSON.readTree(result.get(2)).get("error").asText()).startsWith("malformed JSON");
    assertThat(JSON.readTree(result.get(3)).get("key").asInt()).isEqualTo(7);
    assertThat(JSON.readTree(result.get(3)).get("error").asText())
        .isEqualTo("x[0][3] = NaN is not a finite number");
    assertThat(JSON.readTree(result.get(4)).get("error").asText()).contains("missing \"key\"");
    assertThat(JSON.readTree(result.get(5)).get("error").asText())
        .contains("this model reads x, not ids");
    // The bad line for key "a" left its state alone: line 7 is a's second step, and the reset
    // on line 8 brings back line 1's answer.
    JsonNode first = JSON.readTree(result.get(0)).get("y");
    JsonNode second = JSON.readTree(result.get(6)).get("y");
    JsonNode afterReset = JSON.readTree(result.get(7)).get("y");
    assertThat(second).isNotEqualTo(first);
    assertThat(afterReset).isEqualTo(first);
    String stderr = cli.stderr();
    assertThat(stderr).contains("line 2: x[0] has 3 values").contains("line 3: malformed JSON")
        .contains("line 4:").contains("line 5:").contains("line 6:");
  }

  @Test
  void shouldRunBidirectionalModelsPerSegment(@TempDir Path dir) throws Exception {
    String name = "gru_l1_bi_emb";
    Path model = importFixture(dir, name);
    JsonNode segments = JSON.readTree(FIXTURES.resolve(name + ".json").toFile()).get("segments");
    StringBuilder lines = new StringBuilder();
    for (JsonNode seg : segments) {
      lines.append("{\"key\":\"s\",\"ids\":").append(seg.get("ids")).append("}\n");
    }
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, lines);

    assertThat(cli.run(null, "infer", "--model", model.toString(), "--input",
        input.toString())).isZero();

    List<String> result = cli.stdout();
    for (int i = 0; i < segments.size(); i++) {
      JsonNode expected = segments.get(i).get("y");
      JsonNode actual = JSON.readTree(result.get(i)).get("y");
      for (int t = 0; t < expected.size(); t++) {
        for (int j = 0; j < expected.get(t).size(); j++) {
          double e = expected.get(t).get(j).asDouble();
          assertThat(actual.get(t).get(j).asDouble())
              .isCloseTo(e, org.assertj.core.api.Assertions.within(1e-5 * Math.abs(e) + 1e-6));
        }
      }
    }
  }

  @Test
  void shouldFailImportWithTheTensorNameAndExitCode1(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("c.json");
    Files.writeString(config, "{\"cell\":\"lstm\",\"input_size\":4,\"hidden_size\":5,"
        + "\"rnn_prefix\":\"rnn.\"}");
    int rc = cli.run(null, "import", "--torch",
        FIXTURES.resolve("gru_l1_bias_uni.safetensors").toString(), "--config", config.toString(),
        "--out", dir.resolve("m.rnn").toString());
    assertThat(rc).isEqualTo(1);
    assertThat(cli.stderr())
        .contains("rnnstream import:").contains("'rnn.weight_ih_l0' has shape [18, 3], expected [20, 4]");
    assertThat(dir.resolve("m.rnn")).doesNotExist();
  }
}
