package io.rnnstream.models.text;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tokenized sentence with one BIO tag per token ({@code O}, {@code B-origin}, {@code I-origin}, ...).
 *
 * @param tokens lower-case tokens, no punctuation
 * @param tags BIO tags, same length as {@code tokens}
 * @param template the template the sentence was generated from (empty when not generated)
 */
public record TaggedSentence(List<String> tokens, List<String> tags, String template) {
  public TaggedSentence {
    tokens = List.copyOf(tokens);
    tags = List.copyOf(tags);
    template = template == null ? "" : template;
    if (tokens.size() != tags.size()) {
      throw new IllegalArgumentException(
          "tokens and tags differ in length: " + tokens.size() + " vs " + tags.size());
    }
  }

  /** Tokens joined by single spaces. */
  public String text() {
    return String.join(" ", tokens);
  }

  /**
   * Slot values by slot type, in order of appearance (spans as {@link BioSpans#spans} reads them); a
   * type that occurs twice keeps its first value.
   */
  public Map<String, String> slots() {
    Map<String, String> out = new LinkedHashMap<>();
    for (BioSpans.Span s : BioSpans.spans(tags)) {
      out.putIfAbsent(s.type(), String.join(" ", tokens.subList(s.start(), s.end())));
    }
    return out;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < tokens.size(); i++) {
      if (i > 0) {
        b.append(' ');
      }
      b.append(tokens.get(i)).append('/').append(tags.get(i));
    }
    return b.toString();
  }
}
