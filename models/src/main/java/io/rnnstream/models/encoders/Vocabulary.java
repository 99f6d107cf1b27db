package io.rnnstream.models.encoders;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token vocabulary of a token model: id 0 is {@value #UNK} (every unknown token), then the tokens
 * by decreasing training count, ties alphabetically (deterministic). The list is what goes into
 * {@code ModelInfo.vocab}, so the Flink operator maps tokens to ids itself. Immutable.
 */
public final class Vocabulary {
  /** The unknown token, id 0; the operator maps unseen tokens to it. */
  public static final String UNK = "<unk>";

  private final List<String> tokens;
  private final Map<String, Integer> ids;

  private Vocabulary(List<String> tokens) {
    this.tokens = List.copyOf(tokens);
    Map<String, Integer> m = new HashMap<>();
    for (int i = 0; i < tokens.size(); i++) {
      m.put(tokens.get(i), i);
    }
    this.ids = m;
  }

  /**
   * Tokens seen at least {@code minCount} times in {@code sentences}, plus every token of
   * {@code extra} (e.g. lexicon words; counted as 0), after {@value #UNK}.
   */
  public static Vocabulary build(Collection<? extends List<String>> sentences, int minCount,
      Collection<String> extra) {
    Map<String, Integer> counts = new HashMap<>();
    for (List<String> s : sentences) {
      for (String t : s) {
        counts.merge(t, 1, Integer::sum);
      }
    }
    List<String> kept = new ArrayList<>();
    counts.forEach((t, c) -> {
      if (c >= minCount && !t.equals(UNK)) {
        kept.add(t);
      }
    });
    kept.sort(Comparator.<String>comparingInt(counts::get).reversed()
        .thenComparing(Comparator.naturalOrder()));
    java.util.Set<String> seen = new java.util.HashSet<>(kept);
    seen.add(UNK);
    List<String> extraSorted = new ArrayList<>();
    for (String t : extra) {
      if (seen.add(t)) {
        extraSorted.add(t);
      }
    }
    Collections.sort(extraSorted);
    List<String> all = new ArrayList<>();
    all.add(UNK);
    all.addAll(kept);
    all.addAll(extraSorted);
    return new Vocabulary(all);
  }

  /** A vocabulary from a stored list (a model's {@code ModelInfo.vocab}). */
  public static Vocabulary of(List<String> tokens) {
    if (tokens.isEmpty() || !tokens.get(0).equals(UNK)) {
      throw new IllegalArgumentException("a vocabulary starts with " + UNK);
    }
    return new Vocabulary(tokens);
  }

  public int size() {
    return tokens.size();
  }

  public List<String> tokens() {
    return tokens;
  }

  /** The id of {@code token}, 0 ({@value #UNK}) when unknown. */
  public int id(String token) {
    Integer i = ids.get(token);
    return i == null ? 0 : i;
  }

  public boolean contains(String token) {
    return ids.containsKey(token);
  }

  /** Ids of a token sequence. */
  public int[] ids(List<String> sentence) {
    int[] out = new int[sentence.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(sentence.get(i));
    }
    return out;
  }
}
