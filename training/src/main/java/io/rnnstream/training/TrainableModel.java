package io.rnnstream.training;

import static io.rnnstream.models.model.TensorNames.rnn;

import io.rnnstream.models.kernels.Tensor;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.Parameters;
import io.rnnstream.models.model.RnnModel;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mutable double-precision copy of a model's tensors, keyed by the canonical names and shapes of
 * {@link Parameters#of} (row-major, PyTorch layout). Optimisers update the arrays in place; the
 * arrays themselves are never replaced, so the double-precision cells built over them stay
 * valid. {@link #toModel} freezes a float32 {@link RnnModel} for serving.
 *
 * <p>Clockwork W_hh entries below the block diagonal are zeroed on construction (the inference
 * cell masks them anyway), never read and never given gradient, so they stay zero.
 *
 * <p>Not thread-safe.
 */
public final class TrainableModel {
  private final ModelSpec spec;
  private final Map<String, double[]> params; // in Parameters.of order
  private final Map<String, Parameters.Param> meta;
  private TrainCell[][] cells; // [layer][direction], built lazily over the live arrays

  private TrainableModel(ModelSpec spec, Map<String, double[]> params) {
    this.spec = spec;
    this.params = params;
    this.meta = new LinkedHashMap<>();
    for (Parameters.Param p : Parameters.of(spec)) {
      meta.put(p.name(), p);
    }
    if (spec.cell() == CellType.CLOCKWORK) {
      int h = spec.hiddenSize();
      int module = h / spec.clockPeriods().length;
      for (int layer = 0; layer < spec.numLayers(); layer++) {
        for (int dir = 0; dir < spec.directions(); dir++) {
          double[] w = params.get(rnn("weight_hh", layer, dir == 1));
          for (int r = 0; r < h; r++) {
            for (int c = 0; c < (r / module) * module; c++) {
              w[r * h + c] = 0;
            }
          }
        }
      }
    }
  }

  /**
   * Weights from {@code tensors}, which must hold exactly the tensors of {@link Parameters#of}
   * with their shapes (checked by building an {@link RnnModel} from them first).
   */
  public static TrainableModel fromTensors(ModelSpec spec, Map<String, Tensor> tensors) {
    RnnModel checked = RnnModel.create(spec, tensors, ModelInfo.named("training", 0), "training");
    return fromModel(checked);
  }

  /** A trainable copy of a served (or imported) model's weights. */
  public static TrainableModel fromModel(RnnModel model) {
    ModelSpec spec = model.spec();
    Map<String, Tensor> tensors = model.tensors();
    Map<String, double[]> params = new LinkedHashMap<>();
    for (Parameters.Param p : Parameters.of(spec)) {
      Tensor t = tensors.get(p.name());
      if (t == null) {
        throw new IllegalArgumentException("model lacks tensor '" + p.name() + "'");
      }
      params.put(p.name(), DMath.toDouble(t.data()));
    }
    return new TrainableModel(spec, params);
  }

  /**
   * Seeded initialisation: {@link Initializers#uniform} with gain 1 (PyTorch's default,
   * {@code U(-1/sqrt(H), 1/sqrt(H))} for every tensor). Same spec and seed, same weights.
   */
  public static TrainableModel fromInit(ModelSpec spec, long seed) {
    return fromTensors(spec, Initializers.uniform(spec, seed, 1.0));
  }

  /**
   * IRNN initialisation ({@link Initializers#irnn}): identity W_hh, zero biases, every other
   * tensor Gaussian with standard deviation {@code inputStd}. For {@code rnn} cells with ReLU.
   */
  public static TrainableModel fromIrnn(ModelSpec spec, long seed, double inputStd) {
    return fromTensors(spec, Initializers.irnn(spec, seed, inputStd));
  }

  public ModelSpec spec() {
    return spec;
  }

  /** Canonical tensor names, in {@link Parameters#of} order. */
  public List<String> names() {
    return List.copyOf(params.keySet());
  }

  /** The live, mutable row-major values of tensor {@code name}. */
  public double[] param(String name) {
    double[] p = params.get(name);
    if (p == null) {
      throw new IllegalArgumentException("no tensor '" + name + "'; this model has " + names());
    }
    return p;
  }

  public int[] shape(String name) {
    param(name);
    return meta.get(name).shape().clone();
  }

  public Parameters.Kind kind(String name) {
    param(name);
    return meta.get(name).kind();
  }

  /** Total number of scalar parameters. */
  public int size() {
    int n = 0;
    for (double[] p : params.values()) {
      n += p.length;
    }
    return n;
  }

  /**
   * Sets the LSTM forget-gate biases (rows H..2H of {@code bias_ih}; {@code bias_hh}'s rows are
   * zeroed) of every layer and direction: a positive value (1 is common) keeps the memory open
   * early in training.
   */
  public TrainableModel setForgetGateBias(double value) {
    if (spec.cell() != CellType.LSTM || !spec.bias()) {
      throw new IllegalStateException("forget-gate bias needs an LSTM with bias");
    }
    int h = spec.hiddenSize();
    for (int layer = 0; layer < spec.numLayers(); layer++) {
      for (int dir = 0; dir < spec.directions(); dir++) {
        double[] bih = param(rnn("bias_ih", layer, dir == 1));
        double[] bhh = param(rnn("bias_hh", layer, dir == 1));
        for (int j = h; j < 2 * h; j++) {
          bih[j] = value;
          bhh[j] = 0;
        }
      }
    }
    return this;
  }

  /** A deep copy (independent arrays). */
  public TrainableModel copy() {
    Map<String, double[]> c = new LinkedHashMap<>();
    params.forEach((k, v) -> c.put(k, v.clone()));
    return new TrainableModel(spec, c);
  }

  /** A zero gradient with this model's names and shapes. */
  public Gradients newGradients() {
    Map<String, double[]> g = new LinkedHashMap<>();
    params.forEach((k, v) -> g.put(k, new double[v.length]));
    return new Gradients(g);
  }

  /** Canonical name -> float32 tensor (values rounded to nearest float). */
  public Map<String, Tensor> toTensors() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : params.entrySet()) {
      out.put(e.getKey(), new Tensor(meta.get(e.getKey()).shape(), DMath.toFloat(e.getValue())));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * The immutable float32 model with these weights (for serving, use
   * {@link Serving#withHeadActivation} to turn a logits head into a softmax/sigmoid one).
   */
  public RnnModel toModel(ModelInfo info) {
    return RnnModel.create(spec, toTensors(), info, "rnnstream training");
  }

  /** The double-precision cells of layer {@code layer}, direction 0 (forward) or 1 (reverse). */
  TrainCell cell(int layer, int dir) {
    if (cells == null) {
      cells = new TrainCell[spec.numLayers()][spec.directions()];
      for (int k = 0; k < spec.numLayers(); k++) {
        for (int d = 0; d < spec.directions(); d++) {
          cells[k][d] = buildCell(k, d == 1);
        }
      }
    }
    return cells[layer][dir];
  }

  private TrainCell buildCell(int layer, boolean rev) {
    ModelSpec s = spec;
    int h = s.hiddenSize();
    int rows = s.cell().gateRows() * h;
    int d = s.layerInputSize(layer);
    int recurrentIn = s.cell() == CellType.JORDAN ? s.feedbackSize() : h;
    String bih = s.bias() ? rnn("bias_ih", layer, rev) : null;
    String bhh = s.bias() ? rnn("bias_hh", layer, rev) : null;
    Linear ih = new Linear(this, rnn("weight_ih", layer, rev), bih, rows, d);
    return switch (s.cell()) {
      case RNN -> new ElmanTrainCell(ih,
          new Linear(this, rnn("weight_hh", layer, rev), bhh, rows, h), s.activation(), null);
      case CLOCKWORK -> new ElmanTrainCell(ih,
          new Linear(this, rnn("weight_hh", layer, rev), bhh, rows, h,
              h / s.clockPeriods().length),
          s.activation(), s.clockPeriods());
      case LSTM -> new LstmTrainCell(this, ih,
          new Linear(this, rnn("weight_hh", layer, rev), bhh, rows, h),
          s.peepholes() ? rnn("weight_peep", layer, rev) : null,
          s.candidateActivation(), s.cellActivation());
      case GRU -> new GruTrainCell(ih,
          new Linear(this, rnn("weight_hh", layer, rev), bhh, rows, h));
      case JORDAN -> new JordanTrainCell(ih,
          new Linear(this, rnn("weight_hh", layer, rev), bhh, rows, recurrentIn),
          new Linear(this, rnn("weight_ho", layer, rev),
              s.bias() ? rnn("bias_ho", layer, rev) : null, s.feedbackSize(), h),
          s.activation(), s.feedbackActivation());
      case SCRN -> new ScrnTrainCell(ih,
          new Linear(this, rnn("weight_hh", layer, rev), bhh, rows, h),
          new Linear(this, rnn("weight_cx", layer, rev), null, s.contextSize(), d),
          new Linear(this, rnn("weight_hc", layer, rev), null, h, s.contextSize()),
          s.contextAlpha());
    };
  }
}
