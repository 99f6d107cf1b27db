package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --no-test}: recipe runs that never read, score or mention the test split. */
@Timeout(120)
class TrainCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @RegisterExtension final CliCapture cli = new CliCapture();

  @Test
  void noTestShouldReportDevFiguresOnly(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("tiny.rnn");

    int rc = cli.run(null, "train", "sentiment", "--epochs", "1", "--train-size", "200",
        "--dev-size", "60", "--no-progress", "--no-test", "--out", out.toString());

    assertThat(rc).as(cli.stderr()).isZero();
    JsonNode summary = JSON.readTree(cli.stdout().get(cli.stdout().size() - 1));
    assertThat(summary.get("metrics").has("dev_accuracy")).isTrue();
    assertThat(summary.toString()).doesNotContain("test");
    assertThat(cli.stderr()).contains("test=skipped").contains("sentiment: dev accuracy");
    assertThat(cli.stderr().replace("test=skipped", "")).doesNotContainIgnoringCase("test");
    RnnModel m = SnapshotFormat.read(out);
    assertThat(m.info().metrics().keySet()).noneMatch(k -> k.contains("test"));
  }

  @Test
  void noTestShouldAlsoApplyToSlots(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("slots.rnn");

    int rc = cli.run(null, "train", "slots", "--epochs", "1", "--train-size", "100",
        "--dev-size", "30", "--no-progress", "--no-test", "--out", out.toString());

    assertThat(rc).as(cli.stderr()).isZero();
    JsonNode summary = JSON.readTree(cli.stdout().get(cli.stdout().size() - 1));
    assertThat(summary.get("metrics").has("dev_f1")).isTrue();
    assertThat(summary.toString()).doesNotContain("test");
    assertThat(cli.stderr().replace("test=skipped", "")).doesNotContainIgnoringCase("test");
  }

  @Test
  void withoutNoTestTheTestSplitIsStillScored(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("tiny.rnn");

    int rc = cli.run(null, "train", "sentiment", "--epochs", "1", "--train-size", "200",
        "--dev-size", "60", "--no-progress", "--out", out.toString());

    assertThat(rc).as(cli.stderr()).isZero();
    JsonNode summary = JSON.readTree(cli.stdout().get(cli.stdout().size() - 1));
    assertThat(summary.get("metrics").has("test_accuracy")).isTrue();
    assertThat(cli.stderr()).contains("sentiment: test accuracy").doesNotContain("test=skipped");
  }

  @Test
  void captionOnlyOptionsShouldBeRejectedForOtherTasks(@TempDir Path dir) throws Exception {
    for (String option : new String[] {"--select-lead", "--blank-lead"}) {
      int rc = cli.run(null, "train", "sentiment", option, "--out",
          dir.resolve("x.rnn").toString());
      assertThat(rc).isNotZero();
      assertThat(cli.stderr()).contains("apply to captions only");
    }
    int rc = cli.run(null, "train", "slots", "--init", dir.resolve("m.rnn").toString(), "--out",
        dir.resolve("x.rnn").toString());
    assertThat(rc).isNotZero();
    assertThat(cli.stderr()).contains("apply to captions only");
  }
}
