package io.rnnstream.benchmarks.flink;

import io.rnnstream.operators.api.RnnEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The events of {@link OperatorThroughput}: dense D-float inputs, keys {@code "k0" .. "k<K-1>"},
 * each key's sequence numbers 0, 1, 2, ... in order.
 *
 * <p>Each source subtask s of p owns the keys {@code k ≡ s (mod p)} and cycles through them,
 * numbering each key's events itself. So a key's events all come from one subtask, in order, for
 * any parallelism (a generator that derived key and sequence number from the global index would
 * let one subtask's later events of a key overtake another's earlier ones, and
 * {@code RnnInference} holds such gaps back for seconds), and the source stays chained to
 * whatever follows it at the same parallelism (no extra network hop).
 */
final class KeyedEvents implements GeneratorFunction<Long, RnnEvent> {
  private final int keys;
  private final int dims;
  private transient int subtask;
  private transient int parallelism;
  private transient int ownKeys;
  private transient long generated;

  KeyedEvents(int keys, int dims) {
    this.keys = keys;
    this.dims = dims;
  }

  @Override
  public void open(SourceReaderContext ctx) {
    subtask = ctx.getIndexOfSubtask();
    parallelism = ctx.currentParallelism();
    ownKeys = ownKeys(keys, parallelism, subtask);
    if (ownKeys == 0) {
      throw new IllegalArgumentException(keys + " keys for source parallelism " + parallelism
          + ": use at least as many keys as subtasks");
    }
  }

  /** How many of keys 0..K-1 are congruent to {@code subtask} mod p. */
  static int ownKeys(int keys, int parallelism, int subtask) {
    return (keys - subtask + parallelism - 1) / parallelism;
  }

  @Override
  public RnnEvent map(Long index) {
    Recorder.awaitStart();
    long local = generated++;
    int key = subtask + parallelism * (int) (local % ownKeys);
    long seq = local / ownKeys;
    RnnEvent e = RnnEvent.dense("k" + key, seq, x(index, dims));
    Recorder.created(key, seq);
    return e;
  }

  /** Input of event {@code i}: sin(0.37 i + j), j = 0..D-1. */
  static float[] x(long i, int dims) {
    float[] x = new float[dims];
    for (int j = 0; j < dims; j++) {
      x[j] = (float) Math.sin(i * 0.37 + j);
    }
    return x;
  }
}
