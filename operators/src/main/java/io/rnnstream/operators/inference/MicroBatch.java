package io.rnnstream.operators.inference;

import io.rnnstream.models.model.BatchWorkspace;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.flink.util.Collector;

/**
 * The bundle of a micro-batching inference operator: events of different keys whose steps are
 * deferred, then computed for the whole bundle by {@link RnnModel#stepBatch} (weights read once
 * per group of keys) in waves: wave t steps the t-th input of every event that has one, so a
 * bundle of sentences costs as many batched steps as its longest sentence has tokens. Each step
 * is completed as it is computed (outputs, remembered inputs), each event after its last step
 * (segment end, state write, with the operator's current key set to the event's key).
 *
 * <p>Invariant: a key has at most one deferred event. Any further work on that key (another
 * event, a timer) flushes the bundle first, so a key's events remain successive steps in order,
 * and its state is never read while a step of it is outstanding. Slots and batch arrays are
 * allocated once: deferring and flushing allocate nothing per event.
 *
 * <p>The inference function sees it only as {@link DeferredSteps}; its operator
 * ({@link MicroBatchingInferenceOperator}, the {@link Host}) flushes it before model updates and
 * checkpoint barriers, at the end of input and when its delay timer fires.
 */
final class MicroBatch implements DeferredSteps {
  /** What the bundle needs from its operator. */
  interface Host {
    void setCurrentKey(Object key);

    Object getCurrentKey();

    long currentProcessingTime();

    /** Calls {@link #onTimer} at processing time {@code at}. */
    void registerFlushTimer(long at);

    /** The collector for the outputs of one deferred event (carrying its record's timestamp). */
    Collector<RnnOutput> collector(Long timestamp);
  }

  /**
   * Completes deferred events as their steps are computed: outputs go to {@code out} (carrying
   * the event's record timestamp); {@code now} is the processing time of the flush (read once
   * per flush, not per output).
   */
  interface Completion {
    /** Step t of the slot's event is computed, output {@code y} (valid during the call). */
    void step(Slot slot, int t, float[] y, Collector<RnnOutput> out, long now) throws Exception;

    /** The event's last step is done: segment end, state write (current key = slot's key). */
    void finish(Slot slot, Collector<RnnOutput> out, long now) throws Exception;
  }

  /** One deferred event and what its completion needs. */
  static final class Slot {
    String key;
    int keyHash;
    RnnEvent event;
    String name;
    KeyState keyState; // the key's whole state, written when the event completes
    SequenceState state; // the model's part of it
    RnnModel model;
    int steps;
    int[] ids = new int[16]; // token ids per step when the model reads ids; grows, reused
    Long timestamp; // the input record's timestamp, or null

    void clear() {
      key = null;
      event = null;
      name = null;
      keyState = null;
      state = null;
      model = null;
      timestamp = null;
    }
  }

  private final Host host;
  private final Completion completion;
  private final int capacity;
  private final long delayMs;
  private final Slot[] slots;
  private int size;
  private boolean timerArmed;
  // per flush group (keys on one model), reused
  private final int[] members;
  private final int[] active; // members with a step in the current wave
  private final boolean[] grouped;
  private final RnnState[] states;
  private final int[] ids;
  private final float[][] xs;
  private final int[] offsets;
  private final RnnState[] rolling;
  private final int[] rollingIds;
  private final float[][] rollingXs;
  private final int[] rollingOffsets;
  private final Map<RnnModel, BatchWorkspace[]> workspaces = new IdentityHashMap<>();
  private final EventInputs inputs;
  private final InferenceMetrics metrics;

  MicroBatch(Host host, Completion completion, int capacity, long delayMs, EventInputs inputs,
      InferenceMetrics metrics) {
    this.host = host;
    this.inputs = inputs;
    this.metrics = metrics;
    this.completion = completion;
    this.capacity = capacity;
    this.delayMs = delayMs;
    this.slots = new Slot[capacity];
    for (int i = 0; i < capacity; i++) {
      slots[i] = new Slot();
    }
    this.members = new int[capacity];
    this.active = new int[capacity];
    this.grouped = new boolean[capacity];
    this.states = new RnnState[capacity];
    this.ids = new int[capacity];
    this.xs = new float[capacity][];
    this.offsets = new int[capacity];
    this.rolling = new RnnState[capacity];
    this.rollingIds = new int[capacity];
    this.rollingXs = new float[capacity][];
    this.rollingOffsets = new int[capacity];
  }

  int size() {
    return size;
  }

  /** Steps the bundle first if {@code key} has an event in it. */
  @Override
  public void settle(String key) throws Exception {
    if (size > 0 && contains(key)) {
      flush();
    }
  }

  private boolean contains(String key) {
    int h = key.hashCode();
    for (int i = 0; i < size; i++) {
      Slot s = slots[i];
      if (s.keyHash == h && s.key.equals(key)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Fills the next free slot for an event of {@code key} (which has no event in the bundle: the
   * caller settled it) with {@code steps} inputs; steps the bundle when it is full.
   */
  @Override
  public boolean defer(String key, RnnEvent e, String name, KeyState ks, SequenceState st,
      RnnModel model, int steps, Long timestamp) throws Exception {
    Slot s = slots[size];
    s.key = key;
    s.keyHash = key.hashCode();
    s.event = e;
    s.name = name;
    s.keyState = ks;
    s.state = st;
    s.model = model;
    s.steps = steps;
    if (s.ids.length < steps) {
      s.ids = new int[Math.max(steps, 2 * s.ids.length)];
    }
    s.timestamp = timestamp;
    for (int t = 0; t < steps && model.spec().readsTokenIds(); t++) {
      s.ids[t] = inputs.id(e, t, model);
    }
    size++;
    if (!timerArmed) {
      timerArmed = true;
      host.registerFlushTimer(host.currentProcessingTime() + delayMs);
    }
    if (size == capacity) {
      flush();
    }
    return true;
  }

  /**
   * Whether {@code ks}'s event waits here. Only the last slot can hold it: a call defers at most
   * one event of its key, and settles the key before it steps another.
   */
  @Override
  public boolean writesState(KeyState ks) {
    return size > 0 && slots[size - 1].keyState == ks;
  }

  /** The delay timer: whatever is in the bundle has waited long enough. */
  void onTimer() throws Exception {
    timerArmed = false;
    flush();
  }

  /** Steps every deferred event, model by model, then completes them key by key. */
  void flush() throws Exception {
    if (size == 0) {
      return;
    }
    Object current = host.getCurrentKey();
    long now = host.currentProcessingTime();
    int n = size;
    metrics.microBatches.inc();
    metrics.microBatchedEvents.inc(n);
    size = 0; // completions may defer nothing, but must see an empty bundle
    Arrays.fill(grouped, 0, n, false);
    for (int first = 0; first < n; first++) {
      if (grouped[first]) {
        continue;
      }
      RnnModel model = slots[first].model;
      int m = 0;
      for (int i = first; i < n; i++) {
        if (!grouped[i] && slots[i].model == model) {
          grouped[i] = true;
          members[m++] = i;
        }
      }
      stepGroup(model, m, now);
    }
    for (int i = 0; i < n; i++) {
      slots[i].clear();
    }
    if (current != null) {
      host.setCurrentKey(current);
    }
  }

  /** Steps the n events in {@code members} (all on {@code model}) wave by wave. */
  private void stepGroup(RnnModel model, int n, long now) throws Exception {
    BatchWorkspace[] bw = workspaces.get(model); // not computeIfAbsent: its lambda would
    if (bw == null) { // capture this and allocate on every flush
      bw = new BatchWorkspace[] {model.newBatchWorkspace(capacity),
          model.newBatchWorkspace(capacity)};
      workspaces.put(model, bw);
    }
    boolean tokens = model.spec().readsTokenIds();
    int waves = 0;
    for (int b = 0; b < n; b++) {
      waves = Math.max(waves, slots[members[b]].steps);
    }
    for (int t = 0; t < waves; t++) {
      int k = 0; // events with a step t, in active[0..k)
      int r = 0; // of those, with a rolling (conversation) state too
      for (int b = 0; b < n; b++) {
        Slot s = slots[members[b]];
        if (s.steps <= t) {
          continue;
        }
        active[k] = members[b];
        states[k] = s.state.segment;
        ids[k] = s.ids[t];
        xs[k] = s.event.x;
        offsets[k] = t * s.state.width;
        if (s.state.rolling != null) {
          rolling[r] = s.state.rolling;
          rollingIds[r] = s.ids[t];
          rollingXs[r] = s.event.x;
          rollingOffsets[r] = offsets[k];
          r++;
        }
        k++;
      }
      if (tokens) {
        model.stepTokensBatch(k, states, ids, bw[0]);
        if (r > 0) {
          model.stepTokensBatch(r, rolling, rollingIds, bw[1]);
        }
      } else {
        model.stepBatch(k, states, xs, offsets, bw[0]);
        if (r > 0) {
          model.stepBatch(r, rolling, rollingXs, rollingOffsets, bw[1]);
        }
      }
      for (int a = 0; a < k; a++) {
        Slot s = slots[active[a]];
        Collector<RnnOutput> out = host.collector(s.timestamp);
        completion.step(s, t, bw[0].output(a), out, now);
        if (t == s.steps - 1) {
          host.setCurrentKey(s.key);
          completion.finish(s, out, now);
        }
      }
    }
    Arrays.fill(states, null);
    Arrays.fill(xs, null);
    Arrays.fill(rolling, null);
    Arrays.fill(rollingXs, null);
  }

  /** Drops the workspaces of models no longer served. */
  @Override
  public void retain(Predicate<RnnModel> served) {
    workspaces.keySet().removeIf(m -> !served.test(m));
  }
}
