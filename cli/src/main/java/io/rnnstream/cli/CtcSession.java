package io.rnnstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.ctc.CtcDecoder;
import io.rnnstream.models.ctc.CtcResult;
import java.util.HashMap;
import java.util.Map;

/**
 * The state behind {@code rnnstream ctc}: one decoder state per key, fed line by line. A line is
 * validated completely before any state changes, so a bad line leaves its key as it was (a bad
 * line with {@code "final": true} does not reset it either) and the other keys go on; the bad
 * line answers {@code {"key": k, "error": reason}}. After a good {@code "final": true} line the
 * key starts afresh.
 */
final class CtcSession {
  
  /**
   * Accepts the tokens {@code -Infinity} (a log-probability of zero, valid) and NaN / Infinity
   * (reported as invalid values, not as syntax errors).
   */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private final Keyed<?> keyed;
  private final int width;

  CtcSession(CtcDecoder<?> decoder) {
    this.keyed = new Keyed<>(decoder);
    this.width = decoder.alphabet().numClasses();
  }

  /** Keys with a stream in progress. */
  int openKeys() {
    return keyed.states.size();
  }

  JsonLines.Outcome process(String line) {
    JsonNode key = NullNode.instance;
    try {
      JsonNode in;
      try {
        in = JSON.readTree(line);
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("malformed JSON: " + e.getOriginalMessage());
      }
      if (in == null || !in.isObject()) {
        throw new IllegalArgumentException(
            "expected a JSON object {\"key\": ..., \"logp\": [[...]], \"final\": bool}");
      }
      key = in.path("key");
      if (key.isMissingNode() || key.isNull() || key.isContainerNode()) {
        key = NullNode.instance;
        throw new IllegalArgumentException("missing \"key\" (a string or number)");
      }
      double[][] frames = frames(in.path("logp"));
      JsonNode fin = in.path("final");
      if (!fin.isMissingNode() && !fin.isNull() && !fin.isBoolean()) {
        throw new IllegalArgumentException("\"final\" must be true or false, got " + fin);
      }
      boolean isFinal = fin.asBoolean(false);
      CtcResult r = keyed.run(key.asText(), frames, isFinal);
      ObjectNode out = JSON.createObjectNode();
      out.set("key", key);
      out.put("text", r.text());
      out.put("stable", r.stable());
      out.put("final", isFinal);
      return new JsonLines.Outcome(out.toString(), null);
    } catch (IllegalArgumentException e) {
      ObjectNode out = JSON.createObjectNode();
      out.set("key", key);
      out.put("error", e.getMessage());
      return new JsonLines.Outcome(out.toString(), e.getMessage());
    }
  }

  /** Parses "logp": rows of exactly C numbers, each finite or -Infinity. */
  private double[][] frames(JsonNode arr) {
    if (!arr.isArray()) {
      throw new IllegalArgumentException("missing \"logp\" array (one row of " + width
          + " log-probabilities per frame)");
    }
    double[][] frames = new double[arr.size()][];
    for (int t = 0; t < frames.length; t++) {
      JsonNode row = arr.get(t);
      if (!row.isArray() || row.size() != width) {
        throw new IllegalArgumentException("logp[" + t + "] has "
            + (row.isArray() ? row.size() + " values" : "no array") + ", expected " + width
            + " (blank + " + (width - 1) + " labels)");
      }
      frames[t] = new double[width];
      for (int k = 0; k < width; k++) {
        JsonNode v = row.get(k);
        double d = v.isNumber() ? v.asDouble() : Double.NaN;
        if (!v.isNumber() || Double.isNaN(d) || d == Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException("logp[" + t + "][" + k + "] = "
              + (v.isNumber() ? v.asText() : v.toString())
              + " is not a log-probability (a finite number or -Infinity)");
        }
        frames[t][k] = d;
      }
    }
    return frames;
  }

  /** The decoder and its per-key states, typed together. */
  private static final class Keyed<S> {
    private final CtcDecoder<S> decoder;
    private final Map<String, S> states = new HashMap<>();

    Keyed(CtcDecoder<S> decoder) {
      this.decoder = decoder;
    }

    CtcResult run(String key, double[][] frames, boolean isFinal) {
      S state = states.computeIfAbsent(key, k -> decoder.newState());
      decoder.advance(state, frames);
      if (isFinal) {
        states.remove(key);
        return decoder.finalResult(state);
      }
      return decoder.result(state);
    }
  }
}
