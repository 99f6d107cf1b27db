package io.rnnstream.models.text;

import io.rnnstream.models.encoders.Vocabulary;
import io.rnnstream.models.model.RnnModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tags a sentence with a many-to-many BIO slot model (such as the shipped slot model): one tag per
 * token, the arg-max of the head output at that token, and the filled slots read from the tags by
 * {@link BioSpans}. The tokenizer lower-cases, keeps letters, digits, {@code :} and {@code '}
 * (typographic apostrophes become {@code '}) and splits on everything else, so "7:30" and
 * "o'clock" stay whole; the Flink slot pipeline and training tokenize with it too.
 */
public final class SlotTagger {
  private SlotTagger() {}

  /** The tagger's tokens of a free text (see the class comment). */
  public static List<String> tokens(String text) {
    String s = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    StringBuilder b = new StringBuilder(s.length());
    s.codePoints().forEach(c -> b.appendCodePoint(
        Character.isLetterOrDigit(c) || c == ':' || c == '\'' ? c : ' '));
    List<String> out = new ArrayList<>();
    for (String t : b.toString().trim().split("\\s+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** Tags a token sequence with a served slot model: tokens, tags and the filled slots. */
  public static TaggedSentence tag(RnnModel model, List<String> tokens) {
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException("text has no words to tag");
    }
    Vocabulary vocab = Vocabulary.of(model.info().vocab());
    float[][] y = model.forwardTokens(vocab.ids(tokens));
    List<String> labels = model.info().labels();
    List<String> tags = new ArrayList<>(tokens.size());
    for (float[] row : y) {
      tags.add(labels.get(argmax(row)));
    }
    return new TaggedSentence(tokens, tags, null);
  }

  /** {@link #tag} of a free text tokenized by {@link #tokens}. */
  public static TaggedSentence tag(RnnModel model, String text) {
    return tag(model, tokens(text));
  }

  /** Index of the largest entry (the first of equal ones). */
  public static int argmax(float[] row) {
    int best = 0;
    for (int i = 1; i < row.length; i++) {
      if (row[i] > row[best]) {
        best = i;
      }
    }
    return best;
  }}
