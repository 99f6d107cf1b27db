package io.rnnstream.benchmarks.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One step of an exported LSTM/GRU step graph (see {@code benchmarks/onnx/export_onnx.py}) for a
 * fixed batch B through ONNX Runtime, the way a stateful caller must run it: per call it writes
 * B inputs and B key states in, runs the graph, and reads B new states (and the head's
 * probabilities) back out.
 *
 * <p>Graph: {@code x (B, D), h (B, H) [, c (B, H)] -> [probs (B, K),] h_next (B, H)
 * [, c_next (B, H)]}. A key's state is one {@code float[]} laid out like {@code RnnState}: LSTM
 * {@code [h, c]} (2H floats), GRU {@code [h]} (H floats).
 *
 * <p>Nothing is allocated per call on the Java side: every input and output is an
 * {@link OnnxTensor} over a direct buffer created once (ORT reads inputs from, and writes pinned
 * outputs into, those buffers without copying); only ORT's small {@code Result} wrapper is new.
 * The session runs single-threaded (intra-op and inter-op threads 1, sequential execution) with
 * all graph optimisations. Not thread-safe: one instance per thread.
 */
public final class OnnxStep implements AutoCloseable {
  private final OrtSession session;
  private final int batch;
  private final int inputSize;
  private final int hidden;
  private final int classes; // 0 without a head
  private final boolean lstm;
  private final FloatBuffer x;
  private final FloatBuffer h;
  private final FloatBuffer c;
  private final FloatBuffer hNext;
  private final FloatBuffer cNext;
  private final FloatBuffer probs;
  private final Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
  private final Map<String, OnnxTensor> outputs = new LinkedHashMap<>();

  public OnnxStep(byte[] model, int batch) throws OrtException {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      opts.setInterOpNumThreads(1);
      opts.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      opts.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      session = env.createSession(model, opts);
    }
    this.batch = batch;
    Map<String, NodeInfo> in = session.getInputInfo();
    Map<String, NodeInfo> out = session.getOutputInfo();
    if (!in.containsKey("x") || !in.containsKey("h") || !out.containsKey("h_next")) {
      session.close();
      throw new IllegalArgumentException("not a step graph of export_onnx.py: inputs "
          + in.keySet() + ", outputs " + out.keySet() + "; expected x, h [, c] -> [probs,]"
          + " h_next [, c_next]");
    }
    inputSize = width(in.get("x"));
    hidden = width(in.get("h"));
    lstm = in.containsKey("c");
    classes = out.containsKey("probs") ? width(out.get("probs")) : 0;
    x = bind(env, inputs, "x", inputSize);
    h = bind(env, inputs, "h", hidden);
    c = lstm ? bind(env, inputs, "c", hidden) : null;
    probs = classes > 0 ? bind(env, outputs, "probs", classes) : null;
    hNext = bind(env, outputs, "h_next", hidden);
    cNext = lstm ? bind(env, outputs, "c_next", hidden) : null;
  }

  /** The last dimension of a (batch, width) tensor. */
  private static int width(NodeInfo info) {
    long[] shape = ((TensorInfo) info.getInfo()).getShape();
    return (int) shape[shape.length - 1];
  }

  /** A (B, width) float tensor over a new direct buffer, registered under {@code name}. */
  private FloatBuffer bind(OrtEnvironment env, Map<String, OnnxTensor> into, String name,
      int width) throws OrtException {
    FloatBuffer buf = ByteBuffer.allocateDirect(batch * width * Float.BYTES)
        .order(ByteOrder.nativeOrder()).asFloatBuffer();
    into.put(name, OnnxTensor.createTensor(env, buf, new long[] {batch, width}));
    return buf;
  }

  public int batch() {
    return batch;
  }

  public int inputSize() {
    return inputSize;
  }

  public int hiddenSize() {
    return hidden;
  }

  /** Floats per key state: 2H for the LSTM ([h, c]), H for the GRU. */
  public int stateSize() {
    return lstm ? 2 * hidden : hidden;
  }

  /** Head outputs per row (0 for graphs without a head). */
  public int classes() {
    return classes;
  }

  /** Row {@code row}'s input: {@code src[off .. off+D)}. */
  public void setInput(int row, float[] src, int off) {
    x.put(row * inputSize, src, off, inputSize);
  }

  /** Row {@code row}'s state before the step: {@code state[off .. off+stateSize())}. */
  public void setState(int row, float[] state, int off) {
    h.put(row * hidden, state, off, hidden);
    if (lstm) {
      c.put(row * hidden, state, off + hidden, hidden);
    }
  }

  /** Runs the step for all B rows. */
  public void run() throws OrtException {
    session.run(inputs, outputs).close(); // pinned outputs stay open: the Result does not own them
  }

  /** Row {@code row}'s state after the step into {@code state[off .. off+stateSize())}. */
  public void getState(int row, float[] state, int off) {
    hNext.get(row * hidden, state, off, hidden);
    if (lstm) {
      cNext.get(row * hidden, state, off + hidden, hidden);
    }
  }

  /** Row {@code row}'s head output (softmax probabilities) into {@code dst[off .. off+K)}. */
  public void getProbs(int row, float[] dst, int off) {
    if (probs == null) {
      throw new IllegalStateException("this step graph has no head (no 'probs' output)");
    }
    probs.get(row * classes, dst, off, classes);
  }

  @Override
  public void close() throws OrtException {
    for (OnnxTensor t : inputs.values()) {
      t.close();
    }
    for (OnnxTensor t : outputs.values()) {
      t.close();
    }
    session.close();
  }
}
