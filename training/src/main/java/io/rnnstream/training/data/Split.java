package io.rnnstream.training.data;

/** Which part of a dataset: fit on {@code TRAIN}, tune on {@code DEV}, report on {@code TEST}. */
public enum Split {
  TRAIN,
  DEV,
  TEST;

  /** Lower-case name as used in file names and manifests ({@code train}, {@code dev}, {@code test}). */
  public String fileName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Parses {@code train|dev|test} (any case). */
  public static Split parse(String s) {
    for (Split v : values()) {
      if (v.name().equalsIgnoreCase(s.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException("split must be train, dev or test, got '" + s + "'");
  }
}
