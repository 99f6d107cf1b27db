package io.rnnstream.training.data;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Java port of the AFINN scorer of the npm package {@code sentiment@5.0.2}: the baseline that the
 * trained sentiment model must beat on the same test split.
 *
 * <p>Behaviour of the package, reproduced here:
 *
 * <ul>
 *   <li>Tokenizer ({@code lib/tokenize.js}): lower-case; newlines to spaces; each of {@code
 *       .,/#!?$%^&*;:{}=_`"~()} to a space; runs of two or more (JavaScript) whitespace characters to
 *       one space; trim; split on single spaces. Apostrophes and hyphens stay inside tokens.
 *   <li>Score: sum over tokens of the AFINN-165 valence ({@code languages/en/labels.json}, vendored
 *       as {@code afinn/afinn-165.json}); multi-word lexicon entries ("does not work") can never match
 *       a single token, exactly as in the package.
 *   <li>Negation ({@code languages/en/scoring-strategy.js}): a token's valence is negated when the
 *       token just before it is one of {@code negators.json} (cant, can't, dont, don't, doesnt,
 *       doesn't, not, non, wont, won't, isnt, isn't). The package looks negators up in a plain
 *       JavaScript object, so the token {@code constructor} (an {@code Object.prototype} property)
 *       also negates; we keep that quirk for exact parity.
 *   <li>Decision ({@code test/benchmark/validate.js}, which produced the README figures 0.726 /
 *       0.765): positive iff {@code comparative = score / tokens >= 0}, i.e. iff {@code score >= 0}:
 *       a sentence with no AFINN word counts as positive. {@link Decision#SCORE_AT_LEAST_ZERO}.
 *       The stricter {@link Decision#SCORE_ABOVE_ZERO} (positive iff {@code score > 0}) is also
 *       offered because it is the stronger baseline on this data.
 * </ul>
 *
 * <p>The package also merges emoji valences (Emoji Sentiment Ranking, CC BY-SA 4.0) into the lexicon.
 * They are not vendored: no sentence of amazon.json or imdb.json contains an emoji, and
 * AfinnBaselineTest checks the Java score against the package's own score for every sentence.
 *
 * <p>Immutable and thread-safe.
 */
public final class AfinnBaseline {

  /** How a score becomes a label. */
  public enum Decision {
    /** Positive iff score >= 0: the package's own validation rule (ties count as positive). */
    SCORE_AT_LEAST_ZERO,
    /** Positive iff score > 0 (ties count as negative). */
    SCORE_ABOVE_ZERO
  }

  private static final String LEXICON = "afinn/afinn-165.json";
  private static final String NEGATORS = "afinn/negators.json";

  // JavaScript's \s: WhiteSpace + LineTerminator (ECMAScript), which differs from Java's \s.
  private static final String JS_WS =
      "\\t\\n\\u000B\\f\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";
  private static final Pattern PUNCT = Pattern.compile("[.,/#!?$%\\^&*;:{}=_`\"~()]");
  private static final Pattern MULTI_WS = Pattern.compile("[" + JS_WS + "][" + JS_WS + "]+");
  private static final Pattern EDGE_WS = Pattern.compile("^[" + JS_WS + "]+|[" + JS_WS + "]+$");

  private final Map<String, Integer> lexicon;
  private final Set<String> negators;

  private AfinnBaseline(Map<String, Integer> lexicon, Set<String> negators) {
    this.lexicon = lexicon;
    this.negators = negators;
  }

  /** Loads the vendored AFINN-165 lexicon and negator list from the classpath. */
  public static AfinnBaseline load() {
    ObjectMapper json = new ObjectMapper();
    Map<String, Integer> lex = readResource(json, LEXICON, new TypeReference<Map<String, Integer>>() {});
    Map<String, Integer> neg = readResource(json, NEGATORS, new TypeReference<Map<String, Integer>>() {});
    java.util.HashSet<String> negSet = new java.util.HashSet<>();
    neg.forEach(
        (k, v) -> {
          if (v != null && v != 0) {
            negSet.add(k);
          }
        });
    negSet.add("constructor"); // JavaScript quirk: negators["constructor"] is truthy (see class doc)
    return new AfinnBaseline(Map.copyOf(lex), Set.copyOf(negSet));
  }

  private static <T> T readResource(ObjectMapper json, String name, TypeReference<T> type) {
    try (InputStream in = AfinnBaseline.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "missing classpath resource io/rnnstream/training/data/" + name + " (see data/sentiment/fetch.sh)");
      }
      return json.readValue(in, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name, e);
    }
  }

  /** Number of lexicon entries (3382 for AFINN-165). */
  public int lexiconSize() {
    return lexicon.size();
  }

  /** The package's tokenizer (see the class comment). Never empty: "" gives one empty token. */
  public static List<String> tokenize(String text) {
    String s = text.toLowerCase(Locale.ROOT).replace('\n', ' ');
    s = PUNCT.matcher(s).replaceAll(" ");
    s = MULTI_WS.matcher(s).replaceAll(" ");
    s = EDGE_WS.matcher(s).replaceAll("");
    String[] parts = s.split(" ", -1);
    List<String> out = new ArrayList<>(parts.length);
    for (String p : parts) {
      out.add(p);
    }
    return out;
  }

  /** Sum of AFINN valences with the package's negation rule. */
  public int score(String text) {
    List<String> tokens = tokenize(text);
    int score = 0;
    for (int i = 0; i < tokens.size(); i++) {
      Integer v = lexicon.get(tokens.get(i));
      if (v == null) {
        continue;
      }
      int s = v;
      if (i > 0 && negators.contains(tokens.get(i - 1))) {
        s = -s;
      }
      score += s;
    }
    return score;
  }

  /** Label (1 positive, 0 negative) with the package's own rule, {@link Decision#SCORE_AT_LEAST_ZERO}. */
  public int predict(String text) {
    return predict(text, Decision.SCORE_AT_LEAST_ZERO);
  }

  public int predict(String text, Decision decision) {
    int s = score(text);
    return switch (decision) {
      case SCORE_AT_LEAST_ZERO -> s >= 0 ? 1 : 0;
      case SCORE_ABOVE_ZERO -> s > 0 ? 1 : 0;
    };
  }

  /** Fraction of examples whose predicted label equals the gold label. */
  public double accuracy(Collection<SentimentExample> examples, Decision decision) {
    if (examples.isEmpty()) {
      throw new IllegalArgumentException("no examples");
    }
    int correct = 0;
    for (SentimentExample e : examples) {
      if (predict(e.text(), decision) == e.label()) {
        correct++;
      }
    }
    return correct / (double) examples.size();
  }

  public double accuracy(Collection<SentimentExample> examples) {
    return accuracy(examples, Decision.SCORE_AT_LEAST_ZERO);
  }
}
