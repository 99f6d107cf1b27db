package io.rnnstream.models.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.text.BioSpans.Span;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BioSpansTest {
  private static List<String> t(String tags) {
    return Arrays.asList(tags.split(" "));
  }

  @Test
  void shouldReadBioSpans() {
    assertThat(BioSpans.spans(t("O B-destination O B-date I-date")))
        .containsExactly(new Span("destination", 1, 2), new Span("date", 3, 5));
  }

  @Test
  void shouldStartASpanAtAnIWithoutB() {
    assertThat(BioSpans.spans(t("I-date I-date O I-time"))).containsExactly(new Span("date", 0, 2), new Span("time", 3, 4));
  }

  @Test
  void shouldSplitOnTypeChangeAndOnB() {
    assertThat(BioSpans.spans(t("B-origin I-destination")))
        .containsExactly(new Span("origin", 0, 1), new Span("destination", 1, 2));
    assertThat(BioSpans.spans(t("B-date B-date I-date")))
        .containsExactly(new Span("date", 0, 1), new Span("date", 1, 3));
    assertThat(BioSpans.spans(t("I-date B-date"))).containsExactly(new Span("date", 0, 1), new Span("date", 1, 2));
  }

  @Test
  void shouldCloseTheSpanAtTheEndOfTheSentence() {
    assertThat(BioSpans.spans(t("O O B-time I-time"))).containsExactly(new Span("time", 2, 4));
    assertThat(BioSpans.spans(List.of())).isEmpty();
  }

  @Test
  void shouldRejectUnknownTagFormats() {
    assertThatThrownBy(() -> BioSpans.spans(t("O X-date"))).hasMessageContaining("X-date");
    assertThatThrownBy(() -> BioSpans.spans(t("B-"))).hasMessageContaining("expected O, B-<type> or I-<type>");
  }
}
