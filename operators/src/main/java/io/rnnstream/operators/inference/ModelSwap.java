package io.rnnstream.operators.inference;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.SwapPolicy;
import io.rnnstream.operators.serving.ModelRegistry;

/**
 * Starts a key's {@link SequenceState} on a model version, and moves it to a newer version by
 * the {@link SwapPolicy}:
 *
 * <pre>
 * AT_SEGMENT_BOUNDARY  an open segment finishes on its version; the move happens at the next
 *                      event between segments (or at the segment's end), carrying the rolling
 *                      state when the state layouts match, else from zero
 * IMMEDIATE_CARRY      at the key's next event, the states carried as they are when the
 *                      layouts match, else from zero (counted as a carry fallback)
 * IMMEDIATE_RESET      at the key's next event, from zero
 * REPLAY_LAST_N        at the key's next event, re-warmed from zero over the last N inputs
 *                      (the open segment over its last min(N, segment length)); from zero when
 *                      the input widths differ (a carry fallback)
 * </pre>
 *
 * Counts keysMigrated (carried or replayed) and keysReset.
 */
final class ModelSwap {
  private final SwapPolicy policy;
  private final boolean rolling;
  private final int replayLastN;
  private final ModelRegistry registry;
  private final Stepper stepper;
  private final InferenceMetrics metrics;

  ModelSwap(InferenceConfig config, ModelRegistry registry, Stepper stepper,
      InferenceMetrics metrics) {
    this.policy = config.swapPolicy();
    this.rolling = config.rolling();
    this.replayLastN = config.replayLastN();
    this.registry = registry;
    this.stepper = stepper;
    this.metrics = metrics;
  }

  /** A key's state for a model it has not used yet: on {@code model}, from zero. */
  SequenceState start(RnnModel model) {
    SequenceState st = new SequenceState();
    init(st, model);
    return st;
  }

  /** Moves {@code st} (of model {@code name}) to {@code newest} as the policy says. */
  void toNewest(SequenceState st, String name, RnnModel newest) {
    boolean compatible = st.layout == newest.stateLayout().hashCode()
        && st.width == inputWidth(newest);
    switch (policy) {
      case AT_SEGMENT_BOUNDARY -> {
        if (st.segmentOpen && registry.get(name, st.version) != null) {
          return; // the open segment finishes on the version it started with
        }
        if (st.segmentOpen) {
          st.clearSegment(); // its version was evicted: cannot finish it faithfully
        }
        carryOrReset(st, newest, compatible, false);
      }
      case IMMEDIATE_CARRY -> carryOrReset(st, newest, compatible, true);
      case IMMEDIATE_RESET -> {
        init(st, newest);
        metrics.keysReset.inc();
      }
      case REPLAY_LAST_N -> {
        if (st.width != inputWidth(newest)) {
          init(st, newest);
          metrics.keysReset.inc();
          metrics.carryFallbacks.inc();
        } else {
          replay(st, newest);
          metrics.keysMigrated.inc();
        }
      }
    }
  }

  /** After {@code st}'s segment closed: AT_SEGMENT_BOUNDARY moves it to the newest version. */
  void atSegmentEnd(SequenceState st, String name) {
    RnnModel newest = registry.latest(name);
    if (policy == SwapPolicy.AT_SEGMENT_BOUNDARY && st.version != newest.info().version()) {
      toNewest(st, name, newest);
    }
  }

  private void carryOrReset(
      SequenceState st, RnnModel newest, boolean compatible, boolean countFallback) {
    if (compatible) {
      st.version = newest.info().version();
      metrics.keysMigrated.inc();
    } else {
      init(st, newest);
      metrics.keysReset.inc();
      if (countFallback) {
        metrics.carryFallbacks.inc();
      }
    }
  }

  /** Points the state at {@code model} with zero recurrent state (keeps the segment counter). */
  private void init(SequenceState st, RnnModel model) {
    boolean uni = !model.spec().bidirectional();
    st.version = model.info().version();
    st.layout = model.stateLayout().hashCode();
    st.width = inputWidth(model);
    st.segmentOpen = false;
    st.segmentSteps = 0;
    st.openRows = 0;
    st.open = null;
    st.segment = uni ? model.newState() : null;
    st.rolling = uni && rolling ? model.newState() : null;
    st.ring = policy == SwapPolicy.REPLAY_LAST_N ? new float[replayLastN * st.width] : null;
    st.ringCount = 0;
    st.ringNext = 0;
  }

  /** Floats per input row: the model's input size, or 1 for a token id. */
  private static int inputWidth(RnnModel model) {
    return model.spec().readsTokenIds() ? 1 : model.inputSize();
  }

  /**
   * Re-warms the key on {@code model}: the rolling state from the last N inputs, the open
   * segment's state from its last min(N, segment length) inputs, both from zero.
   */
  private void replay(SequenceState st, RnnModel model) {
    boolean open = st.segmentOpen;
    int segmentSteps = st.segmentSteps;
    int n = st.ringCount;
    float[] ring = st.ring; // (rows, width), rows written round-robin
    int ringNext = st.ringNext;
    int rows = ring.length / st.width;
    int width = st.width;
    init(st, model);
    st.ring = ring;
    st.ringCount = n;
    st.ringNext = ringNext;
    if (model.spec().bidirectional()) {
      return;
    }
    int segmentReplay = open ? Math.min(segmentSteps, n) : 0;
    for (int i = 0; i < n; i++) {
      int off = SequenceState.ringRow(ringNext, rows, i, n) * width;
      if (st.rolling != null) {
        stepper.stepRow(model, st.rolling, ring, off, true);
      }
      if (i >= n - segmentReplay) {
        stepper.stepRow(model, st.segment, ring, off, false);
      }
    }
    st.segmentOpen = open;
    st.segmentSteps = open ? segmentSteps : 0;
  }
}
