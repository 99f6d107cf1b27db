package io.rnnstream.models.model;

import io.rnnstream.models.kernels.Tensor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded weight initialisation: the same seed and spec always give the same tensors.
 */
public final class Initializers {
  private Initializers() {}

  /**
   * PyTorch's default: every tensor uniform in {@code [-1/sqrt(H), 1/sqrt(H)]}, with the
   * range widened or narrowed by {@code gain}.
   */
  public static Map<String, Tensor> uniform(ModelSpec spec, long seed, double gain) {
    SplittableRandom rnd = new SplittableRandom(seed);
    double bound = gain / Math.sqrt(spec.hiddenSize());
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Parameters.Param p : Parameters.of(spec)) {
      float[] data = new float[size(p.shape())];
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
      }
      out.put(p.name(), new Tensor(p.shape(), data));
    }
    return out;
  }

  /**
   * IRNN (Le, Jaitly and Hinton 2015): recurrent matrices set to the identity, biases to zero,
   * input weights Gaussian with standard deviation {@code inputStd} (0.001 in the paper). Meant
   * for {@link CellType#RNN} with ReLU.
   */
  public static Map<String, Tensor> irnn(ModelSpec spec, long seed, double inputStd) {
    if (spec.cell() != CellType.RNN) {
      throw new IllegalArgumentException("IRNN initialisation is for rnn cells, got "
          + spec.cell().id());
    }
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Parameters.Param p : Parameters.of(spec)) {
      float[] data = new float[size(p.shape())];
      switch (p.kind()) {
        case RECURRENT_WEIGHT -> {
          for (int i = 0; i < p.shape()[0]; i++) {
            data[i * p.shape()[1] + i] = 1f;
          }
        }
        case BIAS -> {}
        default -> {
          for (int i = 0; i < data.length; i++) {
            data[i] = (float) (gaussian(rnd) * inputStd);
          }
        }
      }
      out.put(p.name(), new Tensor(p.shape(), data));
    }
    return out;
  }

  private static double gaussian(SplittableRandom rnd) {
    // Box-Muller; SplittableRandom has no nextGaussian on JDK 17
    double u = 1 - rnd.nextDouble();
    double v = rnd.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  private static int size(int[] shape) {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
