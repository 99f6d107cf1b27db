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

/** {@code classify} and {@code tag} with the shipped models. */
class TextCommandsTest {
  static final Path PRETRAINED = Path.of("../models/pretrained");
  static final String SENTIMENT = PRETRAINED.resolve("sentiment.rnn").toString();
  static final String SLOTS = PRETRAINED.resolve("slots.rnn").toString();
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final CliCapture cli = new CliCapture();

  @Test
  void classifyShouldPrintLabelAndProbability() throws Exception {
    int rc = cli.run(null, "classify", "--model", SENTIMENT, "--text",
        "I love this phone, the battery is great!");

    assertThat(rc).as(cli.stderr()).isZero();
    List<String> lines = cli.stdout();
    assertThat(lines).hasSize(1);
    JsonNode o = JSON.readTree(lines.get(0));
    assertThat(o.get("label").asText()).isEqualTo("positive");
    assertThat(o.get("p").asDouble()).isBetween(0.5, 1.0);
    assertThat(o.size()).isEqualTo(2);
  }

  @Test
  void classifyShouldAnswerEveryJsonLineAndKeepGoingAfterABadOne() throws Exception {
    String in = "{\"text\": \"Terrible. It broke after one day.\"}\n"
        + "not json\n"
        + "\n"
        + "{\"txt\": \"no text field\"}\n"
        + "{\"text\": \"Excellent product, works perfectly.\"}\n";

    int rc = cli.run(in, "classify", "--model", SENTIMENT);

    assertThat(rc).isEqualTo(1); // some lines were bad
    List<String> lines = cli.stdout();
    assertThat(lines).hasSize(4);
    assertThat(JSON.readTree(lines.get(0)).get("label").asText()).isEqualTo("negative");
    assertThat(JSON.readTree(lines.get(1)).get("error").asText()).contains("malformed JSON");
    assertThat(JSON.readTree(lines.get(2)).get("error").asText()).contains("\"text\"");
    assertThat(JSON.readTree(lines.get(3)).get("label").asText()).isEqualTo("positive");
    assertThat(cli.stderr()).contains("line 2:").contains("line 4:");
  }

  @Test
  void tagShouldPrintTokensTagsAndSlots() throws Exception {
    int rc = cli.run(null, "tag", "--model", SLOTS, "--text", "Arrive Taipei on November 2nd");

    assertThat(rc).as(cli.stderr()).isZero();
    JsonNode o = JSON.readTree(cli.stdout().get(0));
    assertThat(o.get("tokens").toString())
        .isEqualTo("[\"arrive\",\"taipei\",\"on\",\"november\",\"2nd\"]");
    assertThat(o.get("tags").toString())
        .isEqualTo("[\"O\",\"B-destination\",\"O\",\"B-date\",\"I-date\"]");
    assertThat(o.get("slots").get("destination").asText()).isEqualTo("taipei");
    assertThat(o.get("slots").get("date").asText()).isEqualTo("november 2nd");
  }

  @Test
  void tagShouldReadAnInputFile(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"text\": \"show me flights from boston to new york tomorrow\"}\n"
        + "{\"text\": \"...\"}\n");

    int rc = cli.run(null, "tag", "--model", SLOTS, "--input", input.toString());

    assertThat(rc).isEqualTo(1);
    List<String> lines = cli.stdout();
    assertThat(lines).hasSize(2);
    JsonNode slots = JSON.readTree(lines.get(0)).get("slots");
    assertThat(slots.get("origin").asText()).isEqualTo("boston");
    assertThat(slots.get("destination").asText()).isEqualTo("new york");
    assertThat(slots.get("date").asText()).isEqualTo("tomorrow");
    assertThat(JSON.readTree(lines.get(1)).get("error").asText()).contains("no words");
  }

  @Test
  void shouldRefuseAModelOfTheWrongKind() {
    int rc = cli.run(null, "tag", "--model", SENTIMENT, "--text", "hello");

    assertThat(rc).isEqualTo(1);
    assertThat(cli.stderr()).contains("is not a slot tagger");
    assertThat(cli.stdout()).isEmpty();
  }
}
