package io.rnnstream.training.data;

import java.util.Objects;

/**
 * One labelled sentence of the UCI "sentiment labelled sentences" data (as vendored in
 * {@code data/sentiment/}).
 *
 * @param text the sentence exactly as in the source file (IMDB sentences keep their trailing spaces)
 * @param label 1 positive, 0 negative
 * @param source {@code amazon} or {@code imdb}
 */
public record SentimentExample(String text, int label, String source) {
  public SentimentExample {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    if (label != 0 && label != 1) {
      throw new IllegalArgumentException("label must be 0 or 1, got " + label);
    }
  }
}
