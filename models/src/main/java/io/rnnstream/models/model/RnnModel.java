package io.rnnstream.models.model;

import io.rnnstream.models.cells.Cell;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable model: architecture ({@link ModelSpec}), weights and identity ({@link ModelInfo}).
 *
 * <p>Unidirectional models run incrementally: {@link #step} advances one key's {@link RnnState}
 * by one input and returns the output for that step. Stacked layers feed each other inside the
 * state, the many-to-one pooling accumulators live at the end of the state, and the head reads
 * the pooled vector (for {@link Pooling#NONE} / {@link Pooling#LAST}: the current top output).
 *
 * <p>Bidirectional models need the whole segment (a message, an utterance):
 * {@link #forwardSegment} runs every layer forwards and backwards from zero states, concatenating
 * the directions like PyTorch.
 *
 * <p>Thread-safety: the model is shared by all keys and threads; each thread owns a
 * {@link Workspace} and each key its {@link RnnState}.
 */
public final class RnnModel {
  /**
   * Largest token-projection table a model precomputes: 16 Mi floats, 64 MB (a 32 000-word
   * vocabulary at LSTM H=128). Larger vocabularies step through the embedding as before.
   */
  public static final long MAX_PROJECTED_FLOATS = 16L << 20;
  /**
   * {@code -Drnnstream.projectTokens=false} turns the token projection off (for side-by-side
   * benchmarks, or to save its memory); default on.
   */
  static final boolean PROJECT_TOKENS =
      Boolean.parseBoolean(System.getProperty("rnnstream.projectTokens", "true"));
  private final ModelSpec spec;
  private final ModelInfo info;
  private final Weights weights;
  private final Cell[] forward; // per layer
  private final Cell[] reverse; // per layer, or null
  private final int[] stateOffset; // per layer (unidirectional)
  private final int poolOffset;
  private final int stateSize;
  private final Tensor embedding; // (V, D) or null
  /**
   * Layer 0's input projection of every token, {@code (V, R)} with {@code R = }
   * {@link Cell#projectionSize()}, or null (no embedding, a bidirectional model, a cell without
   * one, or above {@link #MAX_PROJECTED_FLOATS}); see {@link #projectsTokens()}.
   */
  private final float[] projected;
  private final int projectionRows;
  private final PoolingAccumulator pooling;
  private final Head head; // or null

  private RnnModel(ModelSpec spec, Weights weights, ModelInfo info) {
    this.spec = spec;
    this.info = info;
    this.weights = weights;
    List<Parameters.Param> params = Parameters.of(spec);
    rejectUnexpected(weights, params);
    int layers = spec.numLayers();
    this.forward = new Cell[layers];
    this.reverse = spec.bidirectional() ? new Cell[layers] : null;
    this.stateOffset = new int[layers];
    int off = 0;
    for (int k = 0; k < layers; k++) {
      forward[k] = CellFactory.build(spec, weights, k, false);
      if (reverse != null) {
        reverse[k] = CellFactory.build(spec, weights, k, true);
      }
      stateOffset[k] = off;
      off += spec.bidirectional() ? 0 : forward[k].stateSize();
    }
    this.poolOffset = off;
    int top = spec.topOutputSize();
    this.stateSize = off + (spec.bidirectional() ? 0 : spec.pooling().stateSize(top));
    this.embedding = spec.vocabSize() == null
        ? null
        : weights.require(TensorNames.EMBEDDING, spec.vocabSize(), spec.inputSize());
    this.projectionRows = forward[0].projectionSize();
    this.projected = PROJECT_TOKENS && embedding != null && reverse == null
        && projectionRows > 0
        && (long) spec.vocabSize() * projectionRows <= MAX_PROJECTED_FLOATS
        ? projectTokens(forward[0], embedding, spec.vocabSize(), spec.inputSize())
        : null;
    float[] att = spec.pooling() == Pooling.ATTENTION
        ? weights.require(TensorNames.ATTENTION, top).data()
        : null;
    this.pooling = new PoolingAccumulator(spec.pooling(), top, att);
    if (spec.head() == null) {
      this.head = null;
    } else {
      int o = spec.head().outputSize();
      this.head = new Head(
          new Matrix(weights.require(TensorNames.HEAD_WEIGHT, o, top)),
          weights.optional(TensorNames.HEAD_BIAS, spec.head().bias(), o),
          spec.head().activation());
    }
  }

  /** The input projection of every token of the embedding by the first layer's cell. */
  private static float[] projectTokens(Cell cell, Tensor embedding, int vocab, int d) {
    int r = cell.projectionSize();
    float[] table = new float[vocab * r];
    float[] row = new float[r]; // kernels write at offset 0
    float[] e = embedding.data();
    for (int v = 0; v < vocab; v++) {
      cell.project(e, v * d, row);
      System.arraycopy(row, 0, table, v * r, r);
    }
    return table;
  }

  /**
   * Builds a model, checking every tensor's presence, shape and finiteness.
   *
   * @param origin where the weights came from, quoted in error messages
   * @throws ModelFormatException naming the missing, misshaped, unexpected or non-finite tensor
   */
  public static RnnModel create(
      ModelSpec spec, Map<String, Tensor> tensors, ModelInfo info, String origin) {
    return new RnnModel(spec, new Weights(tensors, origin), info);
  }

  private static void rejectUnexpected(Weights weights, List<Parameters.Param> params) {
    Set<String> known = new HashSet<>();
    for (Parameters.Param p : params) {
      known.add(p.name());
    }
    for (String name : weights.asMap().keySet()) {
      if (!known.contains(name)) {
        throw new ModelFormatException(
            "unexpected tensor '" + name + "' for this architecture; expected only " + known);
      }
    }
  }

  public ModelSpec spec() {
    return spec;
  }

  public ModelInfo info() {
    return info;
  }

  /**
   * Whether token steps ({@link #stepToken}, {@link #stepTokensBatch}) read a precomputed input
   * projection of each token ({@code b_ih + W_ih e}, computed once when the model is built)
   * instead of multiplying its embedding by {@code W_ih}: true for unidirectional LSTM, GRU and
   * Elman models with an embedding of at most {@link #MAX_PROJECTED_FLOATS} projected floats
   * (unless {@code -Drnnstream.projectTokens=false}).
   * The results are the same bits either way; at D=64, H=128 it skips a third of an LSTM step's
   * multiply-adds, for {@code 4H} floats (2 KB at H=128) of memory per vocabulary entry.
   */
  public boolean projectsTokens() {
    return projected != null;
  }

  /** The same weights under new identity (e.g. a new version number). */
  public RnnModel withInfo(ModelInfo newInfo) {
    return new RnnModel(spec, weights, newInfo);
  }

  /** Canonical name -> tensor, sorted by name. */
  public Map<String, Tensor> tensors() {
    return weights.asMap();
  }

  public int inputSize() {
    return spec.inputSize();
  }

  public int outputSize() {
    return spec.outputSize();
  }

  /** Floats per key state (0 for bidirectional models, which keep no state between segments). */
  public int stateSize() {
    return stateSize;
  }

  /**
   * What a key's state means, as a string: two models with equal layouts can carry each other's
   * states (same cells, sizes, clock and pooling), which a hot swap with state carry relies on.
   * Example: {@code lstm L2 H128 uni pool=none state=512}.
   */
  public String stateLayout() {
    StringBuilder b = new StringBuilder()
        .append(spec.cell().id()).append(" L").append(spec.numLayers())
        .append(" H").append(spec.hiddenSize())
        .append(spec.bidirectional() ? " bi" : " uni")
        .append(" pool=").append(spec.pooling().id());
    switch (spec.cell()) {
      case CLOCKWORK -> b.append(" periods=").append(java.util.Arrays.toString(spec.clockPeriods()));
      case SCRN -> b.append(" context=").append(spec.contextSize());
      case JORDAN -> b.append(" feedback=").append(spec.feedbackSize());
      default -> {}
    }
    return b.append(" state=").append(stateSize).toString();
  }

  public RnnState newState() {
    return RnnState.zeros(stateSize);
  }

  public Workspace newWorkspace() {
    int scratch = 0;
    int dirState = 0;
    for (int k = 0; k < forward.length; k++) {
      scratch = Math.max(scratch, forward[k].scratchSize());
      dirState = Math.max(dirState, forward[k].stateSize());
    }
    return new Workspace(scratch, spec.topOutputSize(), spec.outputSize(), dirState);
  }

  /** Buffers for batched steps of up to {@code capacity} keys at once. */
  public BatchWorkspace newBatchWorkspace(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("batch capacity must be at least 1, got " + capacity);
    }
    Workspace[] slots = new Workspace[capacity];
    for (int b = 0; b < capacity; b++) {
      slots[b] = newWorkspace();
    }
    return new BatchWorkspace(slots);
  }

  /**
   * One incremental step for each of {@code n} keys at once, with the same results as
   * {@link #step} per key (within float rounding of the backend): key b reads
   * {@code xs[b][xOffs[b] .. +D)} and advances {@code states[b]}; its output is
   * {@link BatchWorkspace#output bw.output(b)}. LSTM, GRU and Elman layers read each weight once
   * per group of keys rather than once per key. The states must be distinct objects (two events of
   * one key are two successive batches). Allocates nothing.
   */
  public void stepBatch(int n, RnnState[] states, float[][] xs, int[] xOffs, BatchWorkspace bw) {
    requireUnidirectional();
    checkBatch(n, bw);
    for (int b = 0; b < n; b++) {
      if (xs[b].length - xOffs[b] < spec.inputSize()) {
        throw new IllegalArgumentException("input " + b + " has " + (xs[b].length - xOffs[b])
            + " values, model expects " + spec.inputSize());
      }
      bw.inputs[b] = xs[b];
      bw.inputOffsets[b] = xOffs[b];
    }
    advanceBatch(n, states, bw, false);
  }

  /** {@link #stepBatch} for models with an embedding: key b's input is token {@code ids[b]}. */
  public void stepTokensBatch(int n, RnnState[] states, int[] ids, BatchWorkspace bw) {
    requireUnidirectional();
    checkBatch(n, bw);
    float[] table = projected != null ? projected : embedding().data();
    for (int b = 0; b < n; b++) {
      bw.inputs[b] = table;
      bw.inputOffsets[b] = tokenOffset(ids[b]);
    }
    advanceBatch(n, states, bw, projected != null);
  }

  private static void checkBatch(int n, BatchWorkspace bw) {
    if (n < 0 || n > bw.capacity()) {
      throw new IllegalArgumentException(
          "batch of " + n + " keys, workspace holds " + bw.capacity());
    }
  }

  /** With {@code projectedInputs}, the inputs are rows of {@link #projected}, not of x. */
  private void advanceBatch(int n, RnnState[] states, BatchWorkspace bw,
      boolean projectedInputs) {
    for (int b = 0; b < n; b++) {
      float[] v = states[b].values();
      if (v.length != stateSize) {
        throw new IllegalArgumentException(
            "state " + b + " has " + v.length + " floats, this model needs " + stateSize);
      }
      bw.states[b] = v;
      bw.steps[b] = states[b].steps();
    }
    for (int k = 0; k < forward.length; k++) {
      Cell cell = forward[k];
      if (k == 0 && projectedInputs) {
        cell.stepBatchProjected(n, bw.inputs, bw.inputOffsets, bw.states, stateOffset[k],
            bw.steps, bw.scratch);
      } else {
        cell.stepBatch(n, bw.inputs, bw.inputOffsets, bw.states, stateOffset[k], bw.steps,
            bw.scratch);
      }
      int out = stateOffset[k] + cell.outputOffset();
      for (int b = 0; b < n; b++) {
        bw.inputs[b] = bw.states[b];
        bw.inputOffsets[b] = out;
      }
    }
    for (int b = 0; b < n; b++) {
      RnnState state = states[b];
      state.advance();
      Workspace ws = bw.slots[b];
      pooling.add(bw.inputs[b], bw.inputOffsets[b], bw.states[b], poolOffset, state.steps(),
          ws.pooled);
      finish(ws);
    }
  }

  /**
   * One incremental step of a unidirectional model: reads {@code x[xOff .. xOff+D)}, updates
   * {@code state} in place and returns the step's output in {@code ws} (valid until the next call
   * with the same workspace). Allocates nothing.
   */
  public float[] step(RnnState state, float[] x, int xOff, Workspace ws) {
    requireUnidirectional();
    if (x.length - xOff < spec.inputSize()) {
      throw new IllegalArgumentException(
          "input has " + (x.length - xOff) + " values, model expects " + spec.inputSize());
    }
    return advance(state, x, xOff, false, ws);
  }

  /** {@link #step} for models with an embedding: the input is token id {@code id}. */
  public float[] stepToken(RnnState state, int id, Workspace ws) {
    requireUnidirectional();
    return projected != null ? advance(state, projected, tokenOffset(id), true, ws)
        : advance(state, embedding().data(), tokenOffset(id), false, ws);
  }

  /** With {@code projectedInput}, {@code x[xOff ..]} is a row of {@link #projected}. */
  private float[] advance(RnnState state, float[] x, int xOff, boolean projectedInput,
      Workspace ws) {
    float[] v = state.values();
    if (v.length != stateSize) {
      throw new IllegalArgumentException(
          "state has " + v.length + " floats, this model needs " + stateSize);
    }
    long t = state.steps();
    float[] in = x;
    int inOff = xOff;
    for (int k = 0; k < forward.length; k++) {
      Cell cell = forward[k];
      if (k == 0 && projectedInput) {
        cell.stepProjected(in, inOff, v, stateOffset[k], t, ws.scratch);
      } else {
        cell.step(in, inOff, v, stateOffset[k], t, ws.scratch);
      }
      in = v;
      inOff = stateOffset[k] + cell.outputOffset();
    }
    state.advance();
    pooling.add(in, inOff, v, poolOffset, state.steps(), ws.pooled);
    return finish(ws);
  }

  /**
   * The output as of the state's last step, recomputed from the state without stepping (equal
   * to what the last {@link #step} returned). A many-to-one operator reads the prediction here
   * when a segment closes after its last input.
   *
   * @throws IllegalStateException if the state has taken no step yet
   */
  public float[] currentOutput(RnnState state, Workspace ws) {
    requireUnidirectional();
    if (state.steps() == 0) {
      throw new IllegalStateException("no output before the first step");
    }
    int last = forward.length - 1;
    float[] v = state.values();
    pooling.current(v, stateOffset[last] + forward[last].outputOffset(), v, poolOffset,
        state.steps(), ws.pooled);
    return finish(ws);
  }

  private float[] finish(Workspace ws) {
    if (head == null) {
      System.arraycopy(ws.pooled, 0, ws.output, 0, ws.output.length);
    } else {
      head.apply(ws.pooled, 0, ws.output);
    }
    return ws.output;
  }

  /**
   * Runs a whole sequence from the zero state and returns one output per step (fresh arrays).
   * For unidirectional models this equals {@link #step} over the inputs; for bidirectional ones
   * it is the segment computation. This is the offline reference the operators are tested
   * against.
   */
  public float[][] forward(float[][] xs) {
    if (spec.bidirectional()) {
      return forwardSegment(xs);
    }
    RnnState state = newState();
    Workspace ws = newWorkspace();
    float[][] ys = new float[xs.length][];
    for (int t = 0; t < xs.length; t++) {
      ys[t] = step(state, xs[t], 0, ws).clone();
    }
    return ys;
  }

  /** {@link #forward} for token ids. */
  public float[][] forwardTokens(int[] ids) {
    return forward(embed(ids));
  }

  /** Embedding rows for {@code ids} (fresh arrays). */
  public float[][] embed(int[] ids) {
    int d = spec.inputSize();
    float[][] xs = new float[ids.length][d];
    for (int t = 0; t < ids.length; t++) {
      System.arraycopy(embedding().data(), rowOffset(ids[t]), xs[t], 0, d);
    }
    return xs;
  }

  /**
   * A bidirectional (or unidirectional) pass over one bounded segment from zero states: each
   * layer runs forwards then backwards and concatenates {@code [forward, reverse]} per step, as
   * PyTorch's {@code output} does. Allocates per segment, not per step.
   */
  public float[][] forwardSegment(float[][] xs) {
    int steps = xs.length;
    int lo = spec.layerOutputSize();
    Workspace ws = newWorkspace();
    float[][] cur = xs;
    for (int k = 0; k < forward.length; k++) {
      float[][] out = new float[steps][lo * spec.directions()];
      runDirection(forward[k], cur, out, 0, false, ws);
      if (reverse != null) {
        runDirection(reverse[k], cur, out, lo, true, ws);
      }
      cur = out;
    }
    int top = spec.topOutputSize();
    float[] acc = new float[spec.pooling().stateSize(top)];
    float[][] ys = new float[steps][];
    for (int t = 0; t < steps; t++) {
      pooling.add(cur[t], 0, acc, 0, t + 1, ws.pooled);
      ys[t] = finish(ws).clone();
    }
    return ys;
  }

  private static void runDirection(
      Cell cell, float[][] in, float[][] out, int outOff, boolean backwards, Workspace ws) {
    float[] s = ws.segmentState;
    java.util.Arrays.fill(s, 0f);
    int n = in.length;
    for (int i = 0; i < n; i++) {
      int t = backwards ? n - 1 - i : i;
      cell.step(in[t], 0, s, 0, i, ws.scratch);
      System.arraycopy(s, cell.outputOffset(), out[t], outOff, cell.outputSize());
    }
  }

  private Tensor embedding() {
    if (embedding == null) {
      throw new IllegalStateException("model '" + info.name() + "' has no embedding: feed vectors");
    }
    return embedding;
  }

  private int rowOffset(int id) {
    int vocab = embedding().dim(0);
    if (id < 0 || id >= vocab) {
      throw new IllegalArgumentException("token id " + id + " out of range [0, " + vocab + ")");
    }
    return id * spec.inputSize();
  }

  /** Token {@code id}'s row offset in {@link #projected} if there is one, else in the embedding. */
  private int tokenOffset(int id) {
    int row = rowOffset(id);
    return projected != null ? id * projectionRows : row;
  }

  private void requireUnidirectional() {
    if (spec.bidirectional()) {
      throw new IllegalStateException(
          "model '" + info.name() + "' is bidirectional: run whole segments with forwardSegment");
    }
  }

  @Override
  public String toString() {
    return "RnnModel{" + info.name() + " v" + info.version() + ", " + spec.cell().id() + " "
        + spec.numLayers() + "x" + spec.hiddenSize() + (spec.bidirectional() ? " bi" : "") + "}";
  }
}
