package io.rnnstream.operators.inference;

import java.util.Arrays;

/**
 * Everything the inference operator keeps for one key, in one keyed {@code ValueState}: one state
 * read and one state write per event (on RocksDB each access is a (de)serialization and a JNI
 * call, so two states per event cost measurably more; see BENCHMARKS.md). Serialized by
 * {@link KeyStateSerializer}, never Kryo.
 *
 * <pre>
 * lastSeq        highest sequence number processed; -1 before the first ordered event
 * waiting        events waiting for their model's first version (in a ListState)
 * pending        out-of-order events held back until the gap closes (in a MapState)
 * gapDeadline    processing time at which a gap stops being waited for; 0 = no gap
 * lastActive     processing time of the last event (idle expiry)
 * idleTimer      the idle-expiry timer currently registered; 0 = none
 * names[i], sequences[i], i < models
 *                one {@link SequenceState} per model name the key has used (usually one;
 *                looked up by a linear scan, which beats hashing for so few)
 * </pre>
 *
 * The bookkeeping fields are {@link KeyMeta}'s: the same per-key fields that builds before this
 * class kept on their own (declared once, so the old layout and the new one cannot drift apart).
 */
public final class KeyState extends KeyMeta {
  String[] names = new String[1];
  SequenceState[] sequences = new SequenceState[1];
  int models;

  /** The key's state for model {@code name}, or null when the key has not used it yet. */
  SequenceState sequence(String name) {
    for (int i = 0; i < models; i++) {
      if (names[i].equals(name)) {
        return sequences[i];
      }
    }
    return null;
  }

  /** Adds the state of a model the key has not used before. */
  public void add(String name, SequenceState st) {
    if (models == names.length) {
      names = Arrays.copyOf(names, 2 * models);
      sequences = Arrays.copyOf(sequences, 2 * models);
    }
    names[models] = name;
    sequences[models] = st;
    models++;
  }

  /** Number of models the key holds a state for. */
  public int models() {
    return models;
  }

  /** The i-th model's state (i < {@link #models()}), in the order they were added. */
  SequenceState sequence(int i) {
    return sequences[i];
  }

  /** The i-th model's name. */
  String name(int i) {
    return names[i];
  }
}
