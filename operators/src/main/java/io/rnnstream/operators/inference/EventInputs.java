package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.RnnEvent;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an event's steps for a given model without copying: validates the event (one kind of
 * input, right width, finite values, ids in range, tokens in the vocabulary) and maps tokens to
 * ids through the model's vocabulary (cached per model).
 */
final class EventInputs {
  static final String UNKNOWN_TOKEN = "<unk>";
  private final Map<RnnModel, Map<String, Integer>> vocabularies = new IdentityHashMap<>();

  /** Number of steps in the event, or throws with the reason it cannot be used. */
  int validate(RnnEvent e, RnnModel model) {
    int kinds = (e.x != null ? 1 : 0) + (e.ids != null ? 1 : 0) + (e.tokens != null ? 1 : 0);
    if (kinds > 1) {
      throw new InvalidEventException("event carries more than one of x, ids and tokens");
    }
    String name = "model '" + model.info().name() + "' v" + model.info().version();
    boolean readsIds = model.spec().readsTokenIds();
    if (e.x != null) {
      int d = model.inputSize();
      if (readsIds) {
        throw new InvalidEventException(name + " reads token ids or tokens, the event carries x");
      }
      if (e.x.length % d != 0) {
        throw new InvalidEventException("x has " + e.x.length + " values, not a multiple of "
            + name + "'s input size " + d);
      }
      for (int i = 0; i < e.x.length; i++) {
        if (!Float.isFinite(e.x[i])) {
          throw new InvalidEventException("x[" + i + "] is " + e.x[i] + " (non-finite)");
        }
      }
      return e.x.length / d;
    }
    if (e.ids != null || e.tokens != null) {
      if (!readsIds) {
        throw new InvalidEventException(
            name + " reads dense x of width " + model.inputSize() + ", the event carries "
                + (e.ids != null ? "ids" : "tokens"));
      }
      if (e.ids != null) {
        int vocab = model.spec().vocabSize();
        for (int i = 0; i < e.ids.length; i++) {
          if (e.ids[i] < 0 || e.ids[i] >= vocab) {
            throw new InvalidEventException(
                "ids[" + i + "] = " + e.ids[i] + " is outside [0, " + vocab + ") of " + name);
          }
        }
        return e.ids.length;
      }
      for (int i = 0; i < e.tokens.length; i++) {
        tokenId(model, e.tokens[i]); // throws for unknown tokens without <unk>
      }
      return e.tokens.length;
    }
    return 0;
  }

  /** Token id of step t of a validated ids / tokens event. */
  int id(RnnEvent e, int t, RnnModel model) {
    return e.ids != null ? e.ids[t] : tokenId(model, e.tokens[t]);
  }

  int tokenId(RnnModel model, String token) {
    Map<String, Integer> vocab = vocabularies.computeIfAbsent(model, EventInputs::index);
    Integer id = vocab.get(token);
    if (id == null) {
      id = vocab.get(UNKNOWN_TOKEN);
      if (id == null) {
        throw new InvalidEventException("token '" + token + "' is not in the vocabulary of model '"
            + model.info().name() + "' v" + model.info().version() + ", which has no "
            + UNKNOWN_TOKEN);
      }
    }
    return id;
  }

  private static Map<String, Integer> index(RnnModel model) {
    List<String> words = model.info().vocab();
    Map<String, Integer> out = new HashMap<>(words.size() * 2);
    for (int i = 0; i < words.size(); i++) {
      out.putIfAbsent(words.get(i), i);
    }
    return out;
  }

  /** Forgets cached vocabularies of models no longer served. */
  void retain(java.util.function.Predicate<RnnModel> served) {
    vocabularies.keySet().removeIf(m -> !served.test(m));
  }

  /** An event that cannot be processed; the message is the dead letter's reason. */
  static final class InvalidEventException extends RuntimeException {
    InvalidEventException(String message) {
      super(message, null, false, false);
    }
  }
}
