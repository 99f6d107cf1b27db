package io.rnnstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Option checks of `run` and `demo` that fail before anything starts (no broker needed). */
class RunAndDemoOptionsTest {
  @Test
  void shouldRefuseAFramesTopicForPipelinesOtherThanCaptions() {
    try (CliCapture cli = CliCapture.open()) {
      assertThat(cli.run(null, "run", "sentiment", "--bootstrap", "localhost:1",
          "--frames-topic")).isEqualTo(2);
      assertThat(cli.stderr())
          .contains("--frames-topic applies to run captions only, not run sentiment");
    }
  }

  @Test
  void shouldRefuseMicroBatchingForPipelinesOtherThanSentiment() {
    try (CliCapture cli = CliCapture.open()) {
      assertThat(cli.run(null, "run", "slots", "--bootstrap", "localhost:1",
          "--micro-batch", "16")).isEqualTo(2);
      assertThat(cli.stderr()).contains("--micro-batch applies to run sentiment only");
    }
  }

  @Test
  void shouldListTheFramesTopicAndTheCaptionsDemoInTheHelp() {
    try (CliCapture cli = CliCapture.open()) {
      assertThat(cli.run(null, "help", "run")).isZero();
      assertThat(String.join("\n", cli.stdout())).contains("--frames-topic[=TOPIC]")
          .contains("feature-frames");
      assertThat(cli.run(null, "help", "demo")).isZero();
      assertThat(String.join("\n", cli.stdout())).contains("sentiment, slots, captions")
          .contains("--streams").contains("--speed");
    }
  }

  @Test
  void everyCommandShouldTakeHelpAndTheRootItsVersion() {
    try (CliCapture cli = CliCapture.open()) {
      for (String command : new String[] {"demo", "run", "train", "import", "publish", "infer",
          "ctc", "transcribe", "classify", "tag", "kafka"}) {
        assertThat(cli.run(null, command, "--help")).as(command).isZero();
        assertThat(String.join("\n", cli.stdout())).as(command)
            .contains("Usage: rnnstream " + command).contains("-h, --help");
      }
      assertThat(cli.run(null, "--version")).isZero();
      assertThat(String.join("\n", cli.stdout())).contains("rnnstream ");
    }
  }

  @Test
  void sentimentShouldMicroBatchSixtyFourByDefaultAndTheOtherPipelinesNot() {
    RunCommand sentiment = new RunCommand();
    new picocli.CommandLine(sentiment).parseArgs("sentiment", "--bootstrap", "localhost:1");
    assertThat(sentiment.options.microBatchSize()).isEqualTo(64);
    RunCommand off = new RunCommand();
    new picocli.CommandLine(off).parseArgs("sentiment", "--bootstrap", "localhost:1",
        "--micro-batch", "0");
    assertThat(off.options.microBatchSize()).isZero();
    RunCommand slots = new RunCommand();
    new picocli.CommandLine(slots).parseArgs("slots", "--bootstrap", "localhost:1");
    assertThat(slots.options.microBatchSize()).isZero();
  }
}
