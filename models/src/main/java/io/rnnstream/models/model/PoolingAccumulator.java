package io.rnnstream.models.model;

/**
 * Incremental many-to-one pooling over the top outputs v_1..v_t, its accumulators stored in the
 * key's state at {@code off} (layout in {@link Pooling}). After {@link #add} the pooled vector
 * covers every step so far.
 */
final class PoolingAccumulator {
  private final Pooling pooling;
  private final int width;
  private final float[] attention; // (P) score vector, ATTENTION only

  PoolingAccumulator(Pooling pooling, int width, float[] attention) {
    this.pooling = pooling;
    this.width = width;
    this.attention = attention;
  }

  /**
   * Folds v (P) into the accumulators and writes the pooled vector into {@code out[0..P)}.
   *
   * @param count steps including this one (>= 1)
   */
  void add(float[] v, int vOff, float[] acc, int off, long count, float[] out) {
    final int p = width;
    switch (pooling) {
      case NONE, LAST -> System.arraycopy(v, vOff, out, 0, p);
      case MEAN -> {
        float inv = 1f / count;
        for (int j = 0; j < p; j++) {
          acc[off + j] += v[vOff + j];
          out[j] = acc[off + j] * inv;
        }
      }
      case ATTENTION -> {
        // acc: [m, z, sum (P)]; sum and z are scaled by exp(-m).
        double score = 0;
        for (int j = 0; j < p; j++) {
          score += attention[j] * v[vOff + j];
        }
        float s = (float) score;
        float m = acc[off];
        float z = acc[off + 1];
        if (count == 1 || s > m) {
          float scale = count == 1 ? 0f : (float) Math.exp(m - s);
          for (int j = 0; j < p; j++) {
            acc[off + 2 + j] *= scale;
          }
          z *= scale;
          m = s;
        }
        float e = (float) Math.exp(s - m);
        z += e;
        acc[off] = m;
        acc[off + 1] = z;
        float inv = 1f / z;
        for (int j = 0; j < p; j++) {
          acc[off + 2 + j] += e * v[vOff + j];
          out[j] = acc[off + 2 + j] * inv;
        }
      }
    }
  }

  /**
   * The pooled vector after {@code count} steps, read from the accumulators without adding a
   * step ({@code v} is the latest top output, used by NONE / LAST).
   */
  void current(float[] v, int vOff, float[] acc, int off, long count, float[] out) {
    final int p = width;
    switch (pooling) {
      case NONE, LAST -> System.arraycopy(v, vOff, out, 0, p);
      case MEAN -> {
        float inv = 1f / count;
        for (int j = 0; j < p; j++) {
          out[j] = acc[off + j] * inv;
        }
      }
      case ATTENTION -> {
        float inv = 1f / acc[off + 1];
        for (int j = 0; j < p; j++) {
          out[j] = acc[off + 2 + j] * inv;
        }
      }
    }
  }
}
