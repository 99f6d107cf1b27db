package io.rnnstream.training;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dL/dθ for every tensor of a {@link TrainableModel}: same canonical names, same row-major shapes
 * (make one with {@link TrainableModel#newGradients()}). Backward passes accumulate into it;
 * clipping and scaling work in place.
 */
public final class Gradients {
  private final Map<String, double[]> grads;

  Gradients(Map<String, double[]> grads) {
    this.grads = grads;
  }

  /** The live, mutable gradient of tensor {@code name}. */
  public double[] get(String name) {
    double[] g = grads.get(name);
    if (g == null) {
      throw new IllegalArgumentException("no gradient '" + name + "'; have " + names());
    }
    return g;
  }

  public List<String> names() {
    return List.copyOf(grads.keySet());
  }

  /** Back to zero. */
  public void zero() {
    for (double[] g : grads.values()) {
      java.util.Arrays.fill(g, 0);
    }
  }

  /** Multiplies every entry by {@code factor}. */
  public void scale(double factor) {
    for (double[] g : grads.values()) {
      for (int i = 0; i < g.length; i++) {
        g[i] *= factor;
      }
    }
  }

  /** this += other (same names and shapes). */
  public void add(Gradients other) {
    for (Map.Entry<String, double[]> e : grads.entrySet()) {
      DMath.add(other.get(e.getKey()), e.getValue());
    }
  }

  /** sqrt of the sum of squares over every tensor. */
  public double globalNorm() {
    double s = 0;
    for (double[] g : grads.values()) {
      for (double v : g) {
        s += v * v;
      }
    }
    return Math.sqrt(s);
  }

  /**
   * Gradient clipping by global norm (Pascanu et al. 2013): if the norm exceeds {@code maxNorm},
   * every entry is scaled by {@code maxNorm / norm}, keeping the direction.
   *
   * @return the norm before clipping
   */
  public double clipByGlobalNorm(double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be > 0, got " + maxNorm);
    }
    double norm = globalNorm();
    if (norm > maxNorm) {
      scale(maxNorm / norm);
    }
    return norm;
  }

  /**
   * Clips every entry into {@code [-limit, limit]} (changes the direction).
   *
   * @return how many entries were clipped
   */
  public int clipByValue(double limit) {
    if (!(limit > 0)) {
      throw new IllegalArgumentException("limit must be > 0, got " + limit);
    }
    int clipped = 0;
    for (double[] g : grads.values()) {
      for (int i = 0; i < g.length; i++) {
        if (g[i] > limit) {
          g[i] = limit;
          clipped++;
        } else if (g[i] < -limit) {
          g[i] = -limit;
          clipped++;
        }
      }
    }
    return clipped;
  }

  /** True if every entry is finite. */
  public boolean isFinite() {
    for (double[] g : grads.values()) {
      for (double v : g) {
        if (!Double.isFinite(v)) {
          return false;
        }
      }
    }
    return true;
  }

  /** A deep copy. */
  public Gradients copy() {
    Map<String, double[]> c = new LinkedHashMap<>();
    grads.forEach((k, v) -> c.put(k, v.clone()));
    return new Gradients(c);
  }
}
