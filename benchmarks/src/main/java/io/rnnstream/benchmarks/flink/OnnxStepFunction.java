package io.rnnstream.benchmarks.flink;

import ai.onnxruntime.OrtException;
import io.rnnstream.benchmarks.onnx.OnnxStep;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnOutput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The ONNX Runtime baseline of {@link OperatorThroughput}: per event, one step of the exported
 * sentiment-shaped step graph ({@code x (1, D), h (1, H), c (1, H) -> probs (1, K), h_next,
 * c_next}) for the event's key, batch 1. The key's state is one {@code ValueState<float[]>} of
 * 2H floats {@code [h, c]}: the same recurrent payload our {@code RnnInference} keeps per key (it
 * keeps a few counters and the model version besides). Emits one {@link RnnOutput} of kind
 * {@code STEP} with the probabilities per event, like {@code RnnInference} in many-to-many mode.
 *
 * <p>Unlike {@code RnnInference} there is no model stream, no sequence-number check and no
 * buffering: the graph travels with the function and each subtask opens its own single-threaded
 * ORT session.
 */
public final class OnnxStepFunction extends KeyedProcessFunction<String, RnnEvent, RnnOutput> {
  private final byte[] onnxModel;
  private final String modelName;
  private transient OnnxStep step;
  private transient ValueState<float[]> state;

  /**
   * @param onnxModel the step graph written by {@code benchmarks/onnx/export_onnx.py}, with a
   *     {@code probs} output
   * @param modelName the name put on every output
   */
  public OnnxStepFunction(byte[] onnxModel, String modelName) {
    this.onnxModel = onnxModel.clone();
    this.modelName = modelName;
  }

  @Override
  public void open(OpenContext ctx) throws OrtException {
    step = new OnnxStep(onnxModel, 1);
    if (step.classes() == 0) {
      throw new IllegalArgumentException(modelName + ": the step graph has no 'probs' output;"
          + " export a model with a head (sentiment_* in export_onnx.py)");
    }
    state = getRuntimeContext().getState(new ValueStateDescriptor<>("h_c",
        PrimitiveArrayTypeInfo.FLOAT_PRIMITIVE_ARRAY_TYPE_INFO));
  }

  @Override
  public void processElement(RnnEvent e, Context ctx, Collector<RnnOutput> out)
      throws Exception {
    if (e.x == null || e.x.length != step.inputSize()) {
      throw new IllegalArgumentException("event " + e + ": expected x of " + step.inputSize()
          + " floats (one step), got " + (e.x == null ? "none" : e.x.length));
    }
    float[] hc = state.value();
    if (hc == null) {
      hc = new float[step.stateSize()]; // a new key starts from the zero state
    }
    step.setInput(0, e.x, 0);
    step.setState(0, hc, 0);
    step.run();
    step.getState(0, hc, 0);
    state.update(hc);

    RnnOutput o = new RnnOutput();
    o.key = ctx.getCurrentKey();
    o.seq = e.seq;
    o.model = modelName;
    o.modelVersion = 1;
    o.kind = RnnOutput.Kind.STEP;
    o.y = new float[step.classes()];
    step.getProbs(0, o.y, 0);
    o.latencyMs = e.timestampMs > 0 ? Math.max(0, System.currentTimeMillis() - e.timestampMs) : 0;
    out.collect(o);
  }

  @Override
  public void close() throws OrtException {
    if (step != null) {
      step.close();
    }
  }
}
