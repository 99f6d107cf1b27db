package io.rnnstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rnnstream.training.data.AfinnBaseline.Decision;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AfinnBaselineTest {
  private static AfinnBaseline afinn;

  @BeforeAll
  static void load() {
    afinn = AfinnBaseline.load();
  }

  @Test
  void shouldTokenizeLikeThePackage() {
    assertThat(AfinnBaseline.tokenize("Tied to charger for conversations lasting more than 45 minutes.MAJOR PROBLEMS!!"))
        .containsExactly("tied", "to", "charger", "for", "conversations", "lasting", "more", "than", "45",
            "minutes", "major", "problems");
    assertThat(AfinnBaseline.tokenize("Don't buy this-product (really)  ")).containsExactly("don't", "buy",
        "this-product", "really");
    assertThat(AfinnBaseline.tokenize("")).containsExactly("");
    // a single tab is not collapsed by the package's /\s\s+/ and stays inside a token
    assertThat(AfinnBaseline.tokenize("good\tbad")).containsExactly("good\tbad");
  }

  @Test
  void shouldNegateTheNextTokenOnly() {
    assertThat(afinn.lexiconSize()).isEqualTo(3382);
    assertThat(afinn.score("good")).isEqualTo(3);
    assertThat(afinn.score("not good")).isEqualTo(-3);
    assertThat(afinn.score("not very good")).isEqualTo(3);
    assertThat(afinn.score("Isn't bad, doesn't work")).isEqualTo(3);
    assertThat(afinn.predict("the phone", Decision.SCORE_AT_LEAST_ZERO)).isEqualTo(1);
    assertThat(afinn.predict("the phone", Decision.SCORE_ABOVE_ZERO)).isEqualTo(0);
  }

  /** Every sentence of amazon.json and imdb.json scores exactly as the npm package scores it. */
  @Test
  void shouldMatchThePackageScoreForEverySentence() throws Exception {
    JsonNode ref;
    try (InputStream in = getClass().getResourceAsStream("afinn_reference_scores.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    for (String source : SentimentData.SOURCES) {
      List<SentimentExample> rows = SentimentData.loadSource(source);
      JsonNode scores = ref.get(source).get("scores");
      // the reference also scores the trailing empty sentinel (score 0)
      assertThat(scores.size()).isEqualTo(rows.size() + 1);
      for (int i = 0; i < rows.size(); i++) {
        assertThat(afinn.score(rows.get(i).text())).as("%s #%d %s", source, i, rows.get(i).text())
            .isEqualTo(scores.get(i).asInt());
      }
      assertThat(scores.get(rows.size()).asInt()).isZero();
    }
  }

  @Test
  void shouldReproduceThePackageReadmeAccuracyOnWholeFiles() {
    List<SentimentExample> amazon = SentimentData.loadSource("amazon");
    List<SentimentExample> imdb = SentimentData.loadSource("imdb");
    assertThat(amazon).hasSize(1000);
    assertThat(imdb).hasSize(1000);
    // README of sentiment@5.0.2: Amazon 0.726, IMDB 0.765
    assertThat(afinn.accuracy(amazon)).isEqualTo(0.726);
    assertThat(afinn.accuracy(imdb)).isEqualTo(0.765);
    // validate.js also counts the empty sentinel (class null) as a pass: 727/1001, 766/1001
    assertThat((afinn.accuracy(amazon) * 1000 + 1) / 1001).isCloseTo(0.7263, within(1e-4));
    // the stricter rule (score > 0) is the stronger baseline on this data
    assertThat(afinn.accuracy(amazon, Decision.SCORE_ABOVE_ZERO)).isEqualTo(0.807);
    assertThat(afinn.accuracy(imdb, Decision.SCORE_ABOVE_ZERO)).isEqualTo(0.775);
  }

  /** The figures a trained model has to beat (data/README.md quotes them). */
  @Test
  void shouldRecordTheBaselineOnTheTestSplit() {
    List<SentimentExample> test = SentimentData.load().test();
    assertThat(test).hasSize(296);
    assertThat(afinn.accuracy(test, Decision.SCORE_AT_LEAST_ZERO)).isCloseTo(TEST_AT_LEAST_ZERO, within(1e-9));
    assertThat(afinn.accuracy(test, Decision.SCORE_ABOVE_ZERO)).isCloseTo(TEST_ABOVE_ZERO, within(1e-9));
  }

  static final double TEST_AT_LEAST_ZERO = 219 / 296.0; // 0.7399
  static final double TEST_ABOVE_ZERO = 230 / 296.0; // 0.7770
}
