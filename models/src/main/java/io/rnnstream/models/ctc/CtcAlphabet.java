package io.rnnstream.models.ctc;

import java.util.Arrays;

/**
 * The output classes of a CTC model: a blank and one class per character of a label string.
 *
 * <p>With labels {@code L} (counted in Unicode code points, so {@code len(L)} characters) there are
 * {@code C = len(L) + 1} classes. Class {@link #blank()} is the blank; the other classes, in
 * increasing index order, are the characters of {@code L} in order: class {@code i != blank} is
 * character number {@code i < blank ? i : i - 1} (0-based) of {@code L}. With the default
 * {@code blank = 0}, class {@code i} is {@code L[i - 1]}; with {@code blank = len(L)} (the last
 * class, as some toolkits do), class {@code i} is {@code L[i]}; with labels {@code "abc"} and
 * {@code blank = 1}: 0 = a, 1 = blank, 2 = b, 3 = c.
 *
 * <p>Characters need not be distinct: the decoders work on class indices, and the text is only a
 * rendering of them. Immutable and thread-safe.
 */
public final class CtcAlphabet {
  private final String labels;
  private final int blank;
  /** Code point of each class; -1 at the blank. */
  private final int[] codePoints;

  private CtcAlphabet(String labels, int blank, int[] codePoints) {
    this.labels = labels;
    this.blank = blank;
    this.codePoints = codePoints;
  }

  /** Labels {@code L} with the blank at class 0. */
  public static CtcAlphabet of(String labels) {
    return of(labels, 0);
  }

  /**
   * Labels {@code L} with the blank at class {@code blank}, {@code 0 <= blank <= len(L)}.
   *
   * @throws IllegalArgumentException if labels is null or blank is out of range
   */
  public static CtcAlphabet of(String labels, int blank) {
    if (labels == null) {
      throw new IllegalArgumentException("labels must not be null");
    }
    int[] chars = labels.codePoints().toArray();
    if (blank < 0 || blank > chars.length) {
      throw new IllegalArgumentException("blank must be in [0, " + chars.length + "] for "
          + chars.length + " labels, got " + blank);
    }
    int[] cps = new int[chars.length + 1];
    for (int i = 0, j = 0; i < cps.length; i++) {
      cps[i] = i == blank ? -1 : chars[j++];
    }
    return new CtcAlphabet(labels, blank, cps);
  }

  /** The label string {@code L} (without the blank). */
  public String labels() {
    return labels;
  }

  /** Index of the blank class. */
  public int blank() {
    return blank;
  }

  /** Number of classes {@code C = len(L) + 1}: the width of every log-probability frame. */
  public int numClasses() {
    return codePoints.length;
  }

  /** The character (code point) of class {@code index}; the blank has none. */
  public int codePoint(int index) {
    if (index < 0 || index >= codePoints.length || index == blank) {
      throw new IllegalArgumentException("class " + index + " is not a character class (blank "
          + blank + ", " + codePoints.length + " classes)");
    }
    return codePoints[index];
  }

  /** Renders class indices {@code classes[from..to)} (none of them blank) as text. */
  public String text(int[] classes, int from, int to) {
    StringBuilder sb = new StringBuilder(to - from);
    for (int i = from; i < to; i++) {
      sb.appendCodePoint(codePoint(classes[i]));
    }
    return sb.toString();
  }

  /**
   * The class indices of {@code text}: each character maps to the first class that renders as it.
   *
   * @throws IllegalArgumentException for a character not in the labels
   */
  public int[] classes(String text) {
    return text.codePoints().map(cp -> {
      for (int i = 0; i < codePoints.length; i++) {
        if (codePoints[i] == cp) {
          return i;
        }
      }
      throw new IllegalArgumentException("character '" + Character.toString(cp)
          + "' is not in the labels \"" + labels + "\"");
    }).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CtcAlphabet a && a.blank == blank && a.labels.equals(labels);
  }

  @Override
  public int hashCode() {
    return 31 * labels.hashCode() + blank;
  }

  @Override
  public String toString() {
    return "CtcAlphabet{labels=\"" + labels + "\", blank=" + blank + ", classes="
        + codePoints.length + ", map=" + Arrays.toString(codePoints) + "}";
  }
}
