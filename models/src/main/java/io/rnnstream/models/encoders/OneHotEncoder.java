package io.rnnstream.models.encoders;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * 1-of-N encoding over a fixed lexicon, with the lecture's extra dimension for "other": a word
 * outside the lexicon lights the last dimension instead of encoding as all zeros.
 * {@code apple -> [1 0 0 0 0 0]}, {@code gorilla -> [0 0 0 0 0 1]} for a lexicon of five.
 */
public final class OneHotEncoder {
  private final List<String> lexicon;
  private final Map<String, Integer> index = new HashMap<>();

  public OneHotEncoder(List<String> lexicon) {
    this.lexicon = List.copyOf(lexicon);
    for (int i = 0; i < this.lexicon.size(); i++) {
      if (index.putIfAbsent(this.lexicon.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate word in lexicon: " + this.lexicon.get(i));
      }
    }
  }

  /** Lexicon size + 1 (the "other" dimension). */
  public int dimension() {
    return lexicon.size() + 1;
  }

  /** Index of the word's dimension; {@link #otherIndex()} for unknown words. */
  public int indexOf(String word) {
    return index.getOrDefault(word, lexicon.size());
  }

  public int otherIndex() {
    return lexicon.size();
  }

  public List<String> lexicon() {
    return lexicon;
  }

  /** Writes the one-hot vector into {@code out[off .. off+dimension())}. */
  public void encode(String word, float[] out, int off) {
    java.util.Arrays.fill(out, off, off + dimension(), 0f);
    out[off + indexOf(word)] = 1f;
  }

  public float[] encode(String word) {
    float[] v = new float[dimension()];
    encode(word, v, 0);
    return v;
  }
}
