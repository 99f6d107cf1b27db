package io.rnnstream.training.data;

import io.rnnstream.models.text.BioSpans.Span;
import io.rnnstream.models.text.BioSpans;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Span-level precision / recall / F1 for BIO slot tags, as conlleval.pl computes them: a predicted
 * span counts as correct only if a gold span has the same start, the same end and the same type;
 * counts are summed over all sentences (micro average). Spans are read by {@link BioSpans}.
 *
 * <p>Tags other than {@code O}, {@code B-type} and {@code I-type} are rejected. Use one instance as an
 * accumulator ({@link #add}) and read {@link #f1()} etc. at the end; not thread-safe.
 */
public final class SlotF1 {

  /** Counts for one slot type (or all). */
  public record Counts(int correct, int predicted, int gold) {
    public double precision() {
      return predicted == 0 ? 0.0 : correct / (double) predicted;
    }

    public double recall() {
      return gold == 0 ? 0.0 : correct / (double) gold;
    }

    /** Harmonic mean of precision and recall; 0 when both are 0 (as conlleval prints it). */
    public double f1() {
      double p = precision();
      double r = recall();
      return p + r == 0.0 ? 0.0 : 2 * p * r / (p + r);
    }
  }

  private final Map<String, int[]> byType = new TreeMap<>(); // type -> {correct, predicted, gold}
  private int correct;
  private int predicted;
  private int gold;
  private int sentences;
  private int tokens;
  private int correctTokens;

  /** Adds one sentence: gold tags and predicted tags (same length). */
  public SlotF1 add(List<String> goldTags, List<String> predictedTags) {
    if (goldTags.size() != predictedTags.size()) {
      throw new IllegalArgumentException(
          "gold and predicted differ in length: " + goldTags.size() + " vs " + predictedTags.size());
    }
    List<Span> g = BioSpans.spans(goldTags);
    List<Span> p = BioSpans.spans(predictedTags);
    Set<Span> goldSet = new HashSet<>(g);
    for (Span s : g) {
      counts(s.type())[2]++;
    }
    for (Span s : p) {
      int[] c = counts(s.type());
      c[1]++;
      if (goldSet.contains(s)) {
        c[0]++;
        correct++;
      }
    }
    gold += g.size();
    predicted += p.size();
    sentences++;
    for (int i = 0; i < goldTags.size(); i++) {
      tokens++;
      if (goldTags.get(i).equals(predictedTags.get(i))) {
        correctTokens++;
      }
    }
    return this;
  }

  private int[] counts(String type) {
    return byType.computeIfAbsent(type, t -> new int[3]);
  }

  /** Micro-averaged counts over every sentence added so far. */
  public Counts total() {
    return new Counts(correct, predicted, gold);
  }

  public double precision() {
    return total().precision();
  }

  public double recall() {
    return total().recall();
  }

  public double f1() {
    return total().f1();
  }

  /** Per slot type (sorted by name). */
  public Map<String, Counts> perType() {
    Map<String, Counts> out = new TreeMap<>();
    byType.forEach((k, v) -> out.put(k, new Counts(v[0], v[1], v[2])));
    return out;
  }

  /** Fraction of tokens whose predicted tag equals the gold tag (conlleval's "accuracy"). */
  public double tokenAccuracy() {
    return tokens == 0 ? 0.0 : correctTokens / (double) tokens;
  }

  public int sentences() {
    return sentences;
  }

  /** Span F1 of whole corpora in one call. */
  public static double f1(List<List<String>> goldTags, List<List<String>> predictedTags) {
    if (goldTags.size() != predictedTags.size()) {
      throw new IllegalArgumentException(
          "gold and predicted differ in sentence count: " + goldTags.size() + " vs " + predictedTags.size());
    }
    SlotF1 acc = new SlotF1();
    for (int i = 0; i < goldTags.size(); i++) {
      acc.add(goldTags.get(i), predictedTags.get(i));
    }
    return acc.f1();
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "sentences %d, tokens %d, accuracy %.4f, precision %.4f, recall %.4f, F1 %.4f (correct %d, predicted %d, gold %d)",
        sentences, tokens, tokenAccuracy(), precision(), recall(), f1(), correct, predicted, gold);
  }
}
