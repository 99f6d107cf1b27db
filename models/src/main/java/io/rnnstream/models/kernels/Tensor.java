package io.rnnstream.models.kernels;

import java.util.Arrays;

/**
 * A dense float32 tensor in row-major (C) order, the layout of PyTorch and safetensors.
 * Immutable by convention: nothing in the library writes to {@link #data()} after construction.
 */
public record Tensor(int[] shape, float[] data) {

  public Tensor {
    long n = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(
          "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + data.length);
    }
    shape = shape.clone();
  }

  public static Tensor vector(float... values) {
    return new Tensor(new int[] {values.length}, values);
  }

  public static Tensor matrix(int rows, int cols, float[] rowMajor) {
    return new Tensor(new int[] {rows, cols}, rowMajor);
  }

  public static Tensor zeros(int... shape) {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return new Tensor(shape, new float[Math.toIntExact(n)]);
  }

  public int rank() {
    return shape.length;
  }

  public int dim(int i) {
    return shape[i];
  }

  public boolean hasShape(int... expected) {
    return Arrays.equals(shape, expected);
  }

  /** First non-finite value's index, or -1. */
  public int firstNonFinite() {
    for (int i = 0; i < data.length; i++) {
      if (!Float.isFinite(data[i])) {
        return i;
      }
    }
    return -1;
  }

  public String shapeString() {
    return Arrays.toString(shape);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tensor t && Arrays.equals(t.shape, shape) && Arrays.equals(t.data, data);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(shape) + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape);
  }
}
