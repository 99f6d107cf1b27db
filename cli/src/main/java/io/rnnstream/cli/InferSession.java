package io.rnnstream.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.HashMap;
import java.util.Map;

/**
 * The state behind {@code rnnstream infer}: one {@link RnnState} per key, fed line by line.
 * A line is validated completely before any state changes, so a bad line leaves its key as it
 * was and the other keys go on; the bad line answers {@code {"key": k, "error": reason}}.
 */
final class InferSession {
  
  /** Accepts NaN / Infinity tokens so that they are reported as non-finite values, not syntax. */
  private static final ObjectMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();
  private final RnnModel model;
  private final Workspace workspace;
  private final Map<String, RnnState> states = new HashMap<>();

  InferSession(RnnModel model) {
    this.model = model;
    this.workspace = model.newWorkspace();
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
        throw new IllegalArgumentException("expected a JSON object {\"key\": ..., \"x\": ...}");
      }
      key = in.path("key");
      if (key.isMissingNode() || key.isNull() || key.isContainerNode()) {
        key = NullNode.instance;
        throw new IllegalArgumentException("missing \"key\" (a string or number)");
      }
      float[][] xs = inputs(in);
      ArrayNode y = run(key.asText(), xs, in.path("reset").asBoolean(false));
      ObjectNode out = JSON.createObjectNode();
      out.set("key", key);
      out.set("y", y);
      return new JsonLines.Outcome(out.toString(), null);
    } catch (IllegalArgumentException e) {
      ObjectNode out = JSON.createObjectNode();
      out.set("key", key);
      out.put("error", e.getMessage());
      return new JsonLines.Outcome(out.toString(), e.getMessage());
    }
  }

  /** Parses "x" (rows of D numbers) or "ids" into input vectors, checking every value. */
  private float[][] inputs(JsonNode in) {
    boolean ids = model.spec().readsTokenIds();
    String field = ids ? "ids" : "x";
    String other = ids ? "x" : "ids";
    JsonNode arr = in.path(field);
    if (!arr.isArray()) {
      throw new IllegalArgumentException("missing \"" + field + "\" array"
          + (in.has(other) ? " (this model reads " + field + ", not " + other + ")" : ""));
    }
    if (ids) {
      int vocab = model.spec().vocabSize();
      int[] tokens = new int[arr.size()];
      for (int t = 0; t < tokens.length; t++) {
        JsonNode v = arr.get(t);
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 0 || v.asInt() >= vocab) {
          throw new IllegalArgumentException(
              "ids[" + t + "] = " + v + " is not a token id in [0, " + vocab + ")");
        }
        tokens[t] = v.asInt();
      }
      return model.embed(tokens);
    }
    int d = model.inputSize();
    float[][] xs = new float[arr.size()][];
    for (int t = 0; t < xs.length; t++) {
      JsonNode row = arr.get(t);
      if (!row.isArray() || row.size() != d) {
        throw new IllegalArgumentException("x[" + t + "] has "
            + (row.isArray() ? row.size() + " values" : "no array") + ", the model expects " + d);
      }
      xs[t] = new float[d];
      for (int j = 0; j < d; j++) {
        JsonNode v = row.get(j);
        float f = (float) v.asDouble(Double.NaN);
        if (!v.isNumber() || !Float.isFinite(f)) {
          throw new IllegalArgumentException("x[" + t + "][" + j + "] = "
              + (v.isNumber() ? v.asText() : v.toString()) + " is not a finite number");
        }
        xs[t][j] = f;
      }
    }
    return xs;
  }

  private ArrayNode run(String key, float[][] xs, boolean reset) {
    ArrayNode y = JSON.createArrayNode();
    if (model.spec().bidirectional()) {
      for (float[] row : model.forwardSegment(xs)) {
        append(y, row);
      }
      return y;
    }
    RnnState state = states.computeIfAbsent(key, k -> model.newState());
    if (reset) {
      state.reset();
    }
    for (float[] x : xs) {
      append(y, model.step(state, x, 0, workspace));
    }
    return y;
  }

  private static void append(ArrayNode y, float[] row) {
    ArrayNode r = y.addArray();
    for (float v : row) {
      r.add(v);
    }
  }
}
