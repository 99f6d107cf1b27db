package io.rnnstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `demo captions` end to end with the shipped caption model and the vendored utterances, fast
 * (3 speakers x 3 utterances at 4x real time): every utterance captioned, every caption once and
 * none lost, CER per version and latency in the summary, version 2 published part-way.
 */
class CaptionsDemoITCase {
  @Test
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void shouldCaptionEveryUtteranceOnceAndPublishVersion2() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int rc = new CaptionsDemo(new CaptionsDemo.Settings(
        Path.of("../models/pretrained/captions.rnn"), DemoSpeech.defaultManifest(), 3, 3, 100, 4,
        Duration.ofSeconds(30)), new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(rc).as(out).isZero();
    assertThat(out).containsPattern("utterances 9 on 3 streams, captioned 9; captions \\d+"
            + " partial \\+ \\d+ final, lost 0, received twice 0")
        .contains(">>> published captions v2")
        .containsPattern("model v1: \\d+ utterances, CER 0\\.\\d{3}")
        .containsPattern("latency audio sent -> caption visible .*: partial p50 \\d+ ms")
        .contains("said \"three one four\"");
  }
}
