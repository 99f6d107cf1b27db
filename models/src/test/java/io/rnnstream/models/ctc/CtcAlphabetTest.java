package io.rnnstream.models.ctc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How class indices map to characters of the label string, for every blank position. */
class CtcAlphabetTest {

  @Test
  void shouldPutTheLabelsAroundTheBlankInOrder() {
    CtcAlphabet first = CtcAlphabet.of("abc");
    assertThat(first.numClasses()).isEqualTo(4);
    assertThat(first.text(new int[] {1, 2, 3}, 0, 3)).isEqualTo("abc");

    CtcAlphabet last = CtcAlphabet.of("abc", 3);
    assertThat(last.text(new int[] {0, 1, 2}, 0, 3)).isEqualTo("abc");

    CtcAlphabet middle = CtcAlphabet.of("abc", 1);
    assertThat(middle.text(new int[] {0, 2, 3}, 0, 3)).isEqualTo("abc");
    assertThat(middle.classes("cab")).containsExactly(3, 0, 2);
    assertThatThrownBy(() -> middle.codePoint(1)).hasMessageContaining("not a character class");
  }

  @Test
  void shouldCountCodePointsNotChars() {
    CtcAlphabet a = CtcAlphabet.of("é😀 ");
    assertThat(a.numClasses()).isEqualTo(4);
    assertThat(a.text(new int[] {2, 3, 1}, 0, 3)).isEqualTo("😀 é");
  }

  @Test
  void shouldRejectABlankOutOfRange() {
    assertThatThrownBy(() -> CtcAlphabet.of("ab", 3))
        .hasMessage("blank must be in [0, 2] for 2 labels, got 3");
    assertThatThrownBy(() -> CtcAlphabet.of("ab", -1)).hasMessageContaining("got -1");
    assertThatThrownBy(() -> CtcAlphabet.of("ab").classes("abz")).hasMessageContaining("'z'");
  }
}
