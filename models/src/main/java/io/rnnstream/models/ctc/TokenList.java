package io.rnnstream.models.ctc;

import java.util.Arrays;

/** A growable list of (class index, frame) pairs: the emitted tokens of a hypothesis. */
final class TokenList {
  private int[] labels;
  private long[] frames;
  private int size;

  TokenList() {
    this(8);
  }

  TokenList(int capacity) {
    labels = new int[Math.max(1, capacity)];
    frames = new long[labels.length];
  }

  int size() {
    return size;
  }

  int label(int i) {
    return labels[i];
  }

  long frame(int i) {
    return frames[i];
  }

  void add(int label, long frame) {
    if (size == labels.length) {
      labels = Arrays.copyOf(labels, size * 2);
      frames = Arrays.copyOf(frames, size * 2);
    }
    labels[size] = label;
    frames[size] = frame;
    size++;
  }

  void clear() {
    size = 0;
    if (labels.length > 64) { // give back what a long stretch grew
      labels = new int[8];
      frames = new long[8];
    }
  }

  int[] labels() {
    return Arrays.copyOf(labels, size);
  }

  long[] frames() {
    return Arrays.copyOf(frames, size);
  }

  TokenList copy() {
    TokenList c = new TokenList(size);
    System.arraycopy(labels, 0, c.labels, 0, size);
    System.arraycopy(frames, 0, c.frames, 0, size);
    c.size = size;
    return c;
  }

  /** Writes count, then (label, frame delta) pairs; deltas from {@code base}. */
  void write(StateBytes.Writer w, long base) {
    w.varLong(size);
    long prev = base;
    for (int i = 0; i < size; i++) {
      w.varLong(labels[i]).zigLong(frames[i] - prev);
      prev = frames[i];
    }
  }

  /** Reads what {@link #write} wrote, checking labels against the alphabet. */
  static TokenList read(StateBytes.Reader r, long base, int numClasses, int blank, String name) {
    int n = r.varInt(name + " length", r.remaining() / 2); // >= 2 bytes per label
    TokenList list = new TokenList(n);
    long prev = base;
    for (int i = 0; i < n; i++) {
      int label = r.varInt(name + " label", numClasses - 1);
      if (label == blank) {
        throw r.corrupt(name + " holds the blank class " + blank);
      }
      prev += r.zigLong();
      list.add(label, prev);
    }
    return list;
  }
}
