package io.rnnstream.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.schemas.CaptionWord;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's stream layout and the matching of final captions to utterances. */
class DemoSpeechTest {
  static final DemoSpeech.Utterance A = new DemoSpeech.Utterance("a", "v", new byte[32 * 500]);
  static final DemoSpeech.Utterance B = new DemoSpeech.Utterance("b", "v", new byte[32 * 300]);

  @Test
  void shouldLoadTheVendoredTestVoiceUtterances() throws Exception {
    List<DemoSpeech.Utterance> all = DemoSpeech.load(DemoSpeech.defaultManifest());
    assertThat(all).hasSize(12).allSatisfy(u -> {
      assertThat(u.voice()).matches("(en-gb-scotland|en-us-nyc|en-gb-x-gbclan)\\+(m2|m4|f3|f4)");
      assertThat(u.pcm().length).isBetween(16_000, 96_000); // 0.5 .. 3 s
    });
    assertThat(all.get(0).text()).isEqualTo("three one four");
  }

  @Test
  void shouldLayUtterancesOutWithLeadPausesAndTail() {
    List<DemoSpeech.Stream> streams =
        DemoSpeech.layout(List.of(A, B), 2, 2, new DemoSpeech.Timing(1000, 300, 150));
    assertThat(streams).extracting(DemoSpeech.Stream::id).containsExactly("spk-1", "spk-2");
    // stream s says utterances s, s + 2, ... (mod 2): spk-1 a, a; spk-2 b, b
    // spk-1: a [0, 500), pause 1000, a [1500, 2000), tail 300
    assertThat(streams.get(0).spans()).containsExactly(new DemoSpeech.Span("a", 0, 500),
        new DemoSpeech.Span("a", 1500, 2000));
    assertThat(streams.get(0).lengthMs()).isEqualTo(2300);
    // spk-2 starts 150 ms late
    assertThat(streams.get(1).spans()).containsExactly(new DemoSpeech.Span("b", 150, 450),
        new DemoSpeech.Span("b", 1450, 1750));
    assertThat(streams.get(1).lengthMs()).isEqualTo(2050);
  }

  @Test
  void shouldMatchAFinalCaptionToTheUtteranceItsWordsOverlapMost() {
    DemoSpeech.Stream s = DemoSpeech.stream("s", List.of(A, B), 0,
        new DemoSpeech.Timing(1000, 300, 0)); // a [0, 500), b [1500, 1800)
    assertThat(CaptionTally.utteranceOf(s, List.of(word(400, 700)))).isZero();
    assertThat(CaptionTally.utteranceOf(s, List.of(word(1200, 1250), word(1400, 1700))))
        .isEqualTo(1);
    assertThat(CaptionTally.utteranceOf(s, List.of(word(1100, 1110)))).as("in the pause")
        .isEqualTo(-1);
    assertThat(CaptionTally.utteranceOf(s, List.of())).isEqualTo(-1);
  }

  static CaptionWord word(long from, long to) {
    return CaptionWord.newBuilder().setText("w").setStartMs(from).setEndMs(to).build();
  }
}
