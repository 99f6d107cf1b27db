package io.rnnstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * The text-in, JSON-out loop of {@code classify} and {@code tag}: with {@code --text}, one result
 * line; otherwise JSON lines {@code {"text": ...}} from stdin or {@code --input}, one output line
 * per non-blank input line. A bad line answers {@code {"error": reason}} (and a stderr line with
 * its number) and the loop goes on; the exit code is then 1.
 */
final class TextLines {
  static final ObjectMapper JSON = new ObjectMapper();

  private TextLines() {}

  /**
   * @param fn text -> result object; throws IllegalArgumentException for a text it cannot handle
   */
  static int run(String command, String text, Path input, Function<String, ObjectNode> fn)
      throws Exception {
    if (text != null) {
      ObjectNode out = fn.apply(text);
      PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
      stdout.println(out.toString());
      return 0;
    }
    return JsonLines.run(command, input, line -> {
      try {
        return new JsonLines.Outcome(fn.apply(textOf(line)).toString(), null);
      } catch (IllegalArgumentException e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("error", e.getMessage());
        return new JsonLines.Outcome(o.toString(), e.getMessage());
      }
    });
  }

  /** The "text" field of a JSON line. */
  static String textOf(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("expected a JSON object {\"text\": ...}");
    }
    JsonNode t = n.get("text");
    if (t == null || !t.isTextual()) {
      throw new IllegalArgumentException("missing \"text\" (a string)");
    }
    return t.asText();
  }
}
