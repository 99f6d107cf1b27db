package io.rnnstream.benchmarks.onnx;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.Locale;

/**
 * Checks that ONNX Runtime and our {@link RnnModel} compute the same step as PyTorch, on the
 * reference that {@code export_onnx.py} stores with each model: two chained steps of B sequences
 * from a random non-zero state. Each engine starts from the reference's state and then carries
 * its own state into step 2, so a wrong state in/out shows up as well as a wrong step.
 *
 * @param ortVsTorch largest absolute difference of ORT's outputs from PyTorch's
 * @param oursVsTorch the same for {@code RnnModel}
 * @param oursVsOrt the same between the two engines
 */
public record OnnxParity(double ortVsTorch, double oursVsTorch, double oursVsOrt) {
  /** The tolerance the benchmark and the test hold the engines to. */
  public static final double TOLERANCE = 1e-4;

  public static OnnxParity check(OnnxModelFiles files) throws OrtException {
    JsonNode ref = files.reference();
    JsonNode steps = ref.get("steps");
    int batch = steps.get(0).get("x").size();
    RnnModel model = files.rnnModel();
    Workspace ws = model.newWorkspace();
    double ortTorch = 0;
    double oursTorch = 0;
    double oursOrt = 0;
    try (OnnxStep ort = new OnnxStep(files.onnxBytes(), batch)) {
      if (ort.stateSize() != model.stateSize()) {
        throw new IllegalStateException(files.name() + ": ORT state " + ort.stateSize()
            + " floats, RnnModel state " + model.stateSize());
      }
      float[][] ortStates = new float[batch][];
      RnnState[] ours = new RnnState[batch];
      for (int b = 0; b < batch; b++) {
        ortStates[b] = initialState(steps.get(0), b, ort.stateSize());
        ours[b] = new RnnState(ortStates[b].clone(), 0);
      }
      float[] probs = new float[Math.max(1, ort.classes())];
      for (JsonNode step : steps) {
        for (int b = 0; b < batch; b++) {
          ort.setInput(b, row(step.get("x"), b), 0);
          ort.setState(b, ortStates[b], 0);
        }
        ort.run();
        for (int b = 0; b < batch; b++) {
          ort.getState(b, ortStates[b], 0);
          float[] y = model.step(ours[b], row(step.get("x"), b), 0, ws);
          float[] expected = expectedState(step, b, ort.stateSize());
          ortTorch = Math.max(ortTorch, maxDiff(ortStates[b], expected));
          oursTorch = Math.max(oursTorch, maxDiff(ours[b].values(), expected));
          oursOrt = Math.max(oursOrt, maxDiff(ours[b].values(), ortStates[b]));
          if (ort.classes() > 0) {
            ort.getProbs(b, probs, 0);
            float[] expectedProbs = row(step.get("probs"), b);
            ortTorch = Math.max(ortTorch, maxDiff(probs, expectedProbs));
            oursTorch = Math.max(oursTorch, maxDiff(y, expectedProbs));
            oursOrt = Math.max(oursOrt, maxDiff(y, probs));
          }
        }
      }
    }
    return new OnnxParity(ortTorch, oursTorch, oursOrt);
  }

  /** This result, or an exception naming the model if a difference exceeds the tolerance. */
  public OnnxParity requireWithin(String name, double tolerance) {
    if (!(ortVsTorch <= tolerance && oursVsTorch <= tolerance && oursVsOrt <= tolerance)) {
      throw new IllegalStateException(name + ": ONNX Runtime and RnnModel disagree beyond "
          + tolerance + ": " + this);
    }
    return this;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "max |ORT - torch| %.2e, |ours - torch| %.2e,"
        + " |ours - ORT| %.2e", ortVsTorch, oursVsTorch, oursVsOrt);
  }

  /** Row b's [h, c] (LSTM) or [h] (GRU) before the step. */
  private static float[] initialState(JsonNode step, int b, int size) {
    return concat(step, b, size, "h", "c");
  }

  /** Row b's [h_next, c_next] or [h_next] from PyTorch. */
  private static float[] expectedState(JsonNode step, int b, int size) {
    return concat(step, b, size, "h_next", "c_next");
  }

  private static float[] concat(JsonNode step, int b, int size, String h, String c) {
    float[] hv = row(step.get(h), b);
    float[] out = new float[size];
    System.arraycopy(hv, 0, out, 0, hv.length);
    if (size > hv.length) {
      float[] cv = row(step.get(c), b);
      System.arraycopy(cv, 0, out, hv.length, cv.length);
    }
    return out;
  }

  private static float[] row(JsonNode matrix, int b) {
    JsonNode r = matrix.get(b);
    float[] out = new float[r.size()];
    for (int j = 0; j < out.length; j++) {
      out[j] = (float) r.get(j).asDouble();
    }
    return out;
  }

  private static double maxDiff(float[] a, float[] b) {
    if (a.length < b.length) {
      throw new IllegalStateException("width " + a.length + ", expected " + b.length);
    }
    double m = 0;
    for (int i = 0; i < b.length; i++) {
      m = Math.max(m, Math.abs((double) a[i] - b[i]));
    }
    return m;
  }
}
