package io.rnnstream.models.model;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.kernels.Matrix;
import io.rnnstream.models.kernels.Tensor;

/** Linear output layer: {@code y (O) = activation(W (O, P) v (P) + b (O))}. */
final class Head {
  private final Matrix w;
  private final Tensor b;
  private final Activation activation;

  Head(Matrix w, Tensor b, Activation activation) {
    this.w = w;
    this.b = b;
    this.activation = activation;
  }

  int outputSize() {
    return w.rows();
  }

  void apply(float[] v, int vOff, float[] y) {
    int o = w.rows();
    if (b == null) {
      java.util.Arrays.fill(y, 0, o, 0f);
    } else {
      System.arraycopy(b.data(), 0, y, 0, o);
    }
    w.multiplyAdd(v, vOff, y, 0);
    activation.apply(y, 0, o);
  }
}
