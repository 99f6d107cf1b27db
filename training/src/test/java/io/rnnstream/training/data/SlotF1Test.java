package io.rnnstream.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotF1Test {
  private static List<String> t(String tags) {
    return Arrays.asList(tags.split(" "));
  }

  @Test
  void shouldCountOnlyExactSpanAndTypeMatches() {
    SlotF1 f = new SlotF1();
    // gold: destination [1,2), date [3,5)
    // pred: destination [1,2) correct; date [3,4) wrong boundary; time [4,5) spurious
    f.add(t("O B-destination O B-date I-date"), t("O B-destination O B-date B-time"));
    // gold: origin [0,2); pred: destination [0,2) wrong type
    f.add(t("B-origin I-origin O"), t("B-destination I-destination O"));
    assertThat(f.total()).isEqualTo(new SlotF1.Counts(1, 4, 3));
    assertThat(f.precision()).isEqualTo(0.25);
    assertThat(f.recall()).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(f.f1()).isCloseTo(2 * 0.25 * (1 / 3.0) / (0.25 + 1 / 3.0), within(1e-12));
    assertThat(f.perType().get("destination")).isEqualTo(new SlotF1.Counts(1, 2, 1));
    assertThat(f.perType().get("origin")).isEqualTo(new SlotF1.Counts(0, 0, 1));
    assertThat(f.tokenAccuracy()).isCloseTo(5 / 8.0, within(1e-12));
  }

  @Test
  void shouldTreatIobOneAndIobTwoSpellingsOfTheSameSpansAsEqual() {
    // conlleval reads "I-date I-date" and "B-date I-date" as the same span
    assertThat(SlotF1.f1(List.of(t("O B-date I-date")), List.of(t("O I-date I-date")))).isEqualTo(1.0);
  }

  @Test
  void shouldGiveZeroWhenNothingMatchesOrNothingIsPredicted() {
    assertThat(SlotF1.f1(List.of(t("B-date O")), List.of(t("O O")))).isZero();
    assertThat(SlotF1.f1(List.of(t("O O")), List.of(t("O O")))).isZero();
    assertThatThrownBy(() -> new SlotF1().add(t("O"), t("O O"))).hasMessageContaining("differ in length");
  }
}
