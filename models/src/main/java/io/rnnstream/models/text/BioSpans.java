package io.rnnstream.models.text;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads BIO slot tags ({@code O}, {@code B-type}, {@code I-type}) into spans with conlleval's rules
 * (IOB1 and IOB2 alike):
 *
 * <ul>
 *   <li>{@code B-X} always starts a span of type X;
 *   <li>{@code I-X} continues the open span if it has type X, and otherwise starts a new span of type
 *       X (an {@code I-} without a {@code B-}, after {@code O} or after another type, opens a span);
 *   <li>{@code O} closes the open span; the end of the sentence closes it too;
 *   <li>spans never cross sentences.
 * </ul>
 *
 * Serving ({@link TaggedSentence#slots()}) and scoring (span F1 in training) read spans here, so
 * they cannot disagree.
 */
public final class BioSpans {
  private BioSpans() {}

  /** A slot span: tokens {@code [start, end)} of type {@code type}. */
  public record Span(String type, int start, int end) {}

  /**
   * Reads the spans of one tag sequence with conlleval's rules (see the class comment).
   *
   * @throws IllegalArgumentException for a tag other than O, B-type or I-type, naming its position
   */
  public static List<Span> spans(List<String> tags) {
    List<Span> out = new ArrayList<>();
    String openType = null;
    int openStart = -1;
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i);
      char prefix;
      String type;
      if ("O".equals(tag)) {
        prefix = 'O';
        type = null;
      } else if (tag != null && tag.length() > 2 && (tag.startsWith("B-") || tag.startsWith("I-"))) {
        prefix = tag.charAt(0);
        type = tag.substring(2);
      } else {
        throw new IllegalArgumentException(
            "tag " + i + " is '" + tag + "': expected O, B-<type> or I-<type>");
      }
      boolean continues = prefix == 'I' && type.equals(openType);
      if (openType != null && !continues) {
        out.add(new Span(openType, openStart, i));
        openType = null;
      }
      if (prefix != 'O' && !continues) {
        openType = type;
        openStart = i;
      }
    }
    if (openType != null) {
      out.add(new Span(openType, openStart, tags.size()));
    }
    return out;
  }
}
