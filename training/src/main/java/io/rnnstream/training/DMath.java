package io.rnnstream.training;

import io.rnnstream.models.kernels.Activation;

/**
 * Double-precision kernels for training. Matrices are row-major {@code double[]} in PyTorch layout
 * (the layout of the canonical tensors), vectors are whole arrays. Naive loops: training models
 * are small and these are the obviously-correct forms.
 */
final class DMath {
  private DMath() {}

  /** y (R) += W (R, C) @ x (C). */
  static void gemv(double[] w, int rows, int cols, double[] x, double[] y) {
    for (int r = 0; r < rows; r++) {
      double s = 0;
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        s += w[base + c] * x[c];
      }
      y[r] += s;
    }
  }

  /** dx (C) += W^T (C, R) @ dy (R). */
  static void gemvT(double[] w, int rows, int cols, double[] dy, double[] dx) {
    for (int r = 0; r < rows; r++) {
      double d = dy[r];
      if (d == 0) {
        continue;
      }
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        dx[c] += w[base + c] * d;
      }
    }
  }

  /** dW (R, C) += dy (R) outer x (C). */
  static void outer(double[] dw, int rows, int cols, double[] dy, double[] x) {
    for (int r = 0; r < rows; r++) {
      double d = dy[r];
      if (d == 0) {
        continue;
      }
      int base = r * cols;
      for (int c = 0; c < cols; c++) {
        dw[base + c] += d * x[c];
      }
    }
  }

  /** dst += src (same length). */
  static void add(double[] src, double[] dst) {
    for (int i = 0; i < src.length; i++) {
      dst[i] += src[i];
    }
  }

  static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double sigmoid(double v) {
    return 1.0 / (1.0 + Math.exp(-v));
  }

  /** Element-wise activation of a scalar (not {@link Activation#SOFTMAX}). */
  static double apply(Activation a, double v) {
    return switch (a) {
      case IDENTITY -> v;
      case TANH -> Math.tanh(v);
      case SIGMOID -> sigmoid(v);
      case RELU -> Math.max(0, v);
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  /** Derivative of an element-wise activation at pre-activation z with output y = a(z). */
  static double derivative(Activation a, double z, double y) {
    return switch (a) {
      case IDENTITY -> 1;
      case TANH -> 1 - y * y;
      case SIGMOID -> y * (1 - y);
      case RELU -> z > 0 ? 1 : 0;
      case SOFTMAX -> throw new IllegalStateException("softmax is not element-wise");
    };
  }

  /** y = a(z) for a whole vector (softmax normalises over it). */
  static double[] activate(Activation a, double[] z) {
    double[] y = new double[z.length];
    if (a == Activation.SOFTMAX) {
      double max = Double.NEGATIVE_INFINITY;
      for (double v : z) {
        max = Math.max(max, v);
      }
      double sum = 0;
      for (int i = 0; i < z.length; i++) {
        y[i] = Math.exp(z[i] - max);
        sum += y[i];
      }
      for (int i = 0; i < z.length; i++) {
        y[i] /= sum;
      }
    } else {
      for (int i = 0; i < z.length; i++) {
        y[i] = apply(a, z[i]);
      }
    }
    return y;
  }

  /** dL/dz from dL/dy for y = a(z) over a whole vector (softmax: the full Jacobian). */
  static double[] backward(Activation a, double[] z, double[] y, double[] dy) {
    double[] dz = new double[z.length];
    if (a == Activation.SOFTMAX) {
      double dot = dot(dy, y);
      for (int i = 0; i < z.length; i++) {
        dz[i] = y[i] * (dy[i] - dot);
      }
    } else {
      for (int i = 0; i < z.length; i++) {
        dz[i] = dy[i] * derivative(a, z[i], y[i]);
      }
    }
    return dz;
  }

  static double[] toDouble(float[] f) {
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }

  static float[] toFloat(double[] d) {
    float[] f = new float[d.length];
    for (int i = 0; i < d.length; i++) {
      f[i] = (float) d[i];
    }
    return f;
  }

  static int size(int[] shape) {
    int n = 1;
    for (int v : shape) {
      n *= v;
    }
    return n;
  }
}
