package io.rnnstream.models.encoders;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Word hashing (Huang et al., DSSM 2013; the lecture's "beyond 1-of-N"): a word becomes the bag
 * of its letter trigrams with {@code #} marking the boundaries ({@code apple -> #ap app ppl ple
 * le#}), so unseen and misspelt words still share dimensions with known ones. Trigrams are mapped
 * to {@code buckets} dimensions by a fixed 32-bit FNV-1a hash, stable across JVMs and releases.
 */
public final class WordHashing {
  private final int buckets;

  public WordHashing(int buckets) {
    if (buckets < 1) {
      throw new IllegalArgumentException("buckets must be >= 1, got " + buckets);
    }
    this.buckets = buckets;
  }

  public int dimension() {
    return buckets;
  }

  /** The letter trigrams of {@code #word#} (lower-cased). */
  public static List<String> trigrams(String word) {
    String w = "#" + word.toLowerCase(Locale.ROOT) + "#";
    List<String> out = new ArrayList<>(Math.max(1, w.length() - 2));
    for (int i = 0; i + 3 <= w.length(); i++) {
      out.add(w.substring(i, i + 3));
    }
    return out;
  }

  public int bucketOf(String trigram) {
    int h = 0x811c9dc5;
    for (byte b : trigram.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x01000193;
    }
    return Integer.remainderUnsigned(h, buckets);
  }

  /** Trigram counts of {@code word} into {@code out[off .. off+dimension())}. */
  public void encode(String word, float[] out, int off) {
    java.util.Arrays.fill(out, off, off + buckets, 0f);
    for (String t : trigrams(word)) {
      out[off + bucketOf(t)] += 1f;
    }
  }

  public float[] encode(String word) {
    float[] v = new float[buckets];
    encode(word, v, 0);
    return v;
  }
}
