package io.rnnstream.models.model;

import io.rnnstream.models.kernels.Tensor;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Named tensors with checked access: every lookup states the shape it expects, and a missing or
 * misshaped tensor fails with a message naming both and what the file holds instead.
 */
public final class Weights {
  private final Map<String, Tensor> tensors;
  private final String origin;

  /**
   * @param origin where the tensors came from ("model.safetensors"), for error messages
   */
  public Weights(Map<String, Tensor> tensors, String origin) {
    this.tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    this.origin = origin;
  }

  public Map<String, Tensor> asMap() {
    return tensors;
  }

  public Tensor require(String name, int... shape) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new ModelFormatException(
          "missing tensor '" + name + "' of shape " + Arrays.toString(shape) + " in " + origin
              + "; it holds: " + describe());
    }
    return checkShape(name, t, shape);
  }

  /** The tensor if present (bias=False models lack biases), shape-checked; else null. */
  public Tensor optional(String name, boolean expected, int... shape) {
    Tensor t = tensors.get(name);
    if (t == null) {
      if (expected) {
        return require(name, shape);
      }
      return null;
    }
    return checkShape(name, t, shape);
  }

  private Tensor checkShape(String name, Tensor t, int[] shape) {
    if (!t.hasShape(shape)) {
      throw new ModelFormatException(
          "tensor '" + name + "' in " + origin + " has shape " + t.shapeString() + ", expected "
              + Arrays.toString(shape));
    }
    int bad = t.firstNonFinite();
    if (bad >= 0) {
      throw new ModelFormatException(
          "tensor '" + name + "' in " + origin + " holds a non-finite value (" + t.data()[bad]
              + ") at flat index " + bad);
    }
    return t;
  }

  /** "name [shape], ..." of every tensor, for error messages. */
  public String describe() {
    if (tensors.isEmpty()) {
      return "no tensors";
    }
    return tensors.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue().shapeString())
        .collect(Collectors.joining(", "));
  }
}
