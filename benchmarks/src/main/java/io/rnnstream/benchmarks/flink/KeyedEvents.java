package io.rnnstream.benchmarks.flink;

import io.rnnstream.operators.api.RnnEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

/**
 * The events of {@link OperatorThroughput}: dense D-float inputs (one step each) or, with
 * {@code tokens > 0}, tokenised messages (token ids, 1 to {@code 2 tokens - 1} of them, mean
 * {@code tokens}, each message one segment: the sentiment pipeline's shape); keys
 * {@code "k0" .. "k<K-1>"}, each key's sequence numbers 0, 1, 2, ... in order.
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
  private final int tokens;
  private final int vocab;
  private transient int subtask;
  private transient int parallelism;
  private transient int ownKeys;
  private transient long generated;

  KeyedEvents(int keys, int dims) {
    this(keys, dims, 0, 0);
  }

  /** Messages of token ids below {@code vocab}, {@code tokens} of them on average. */
  KeyedEvents(int keys, int dims, int tokens, int vocab) {
    this.keys = keys;
    this.dims = dims;
    this.tokens = tokens;
    this.vocab = vocab;
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
    RnnEvent e;
    if (tokens > 0) {
      e = RnnEvent.ids("k" + key, seq, ids(index, tokens, vocab));
      e.endOfSegment = true;
    } else {
      e = RnnEvent.dense("k" + key, seq, x(index, dims));
    }
    Recorder.created(key, seq);
    return e;
  }

  /** Token ids of message {@code i}: 1 + (i * 7919 mod (2 mean - 1)) of them, spread over vocab. */
  static int[] ids(long i, int mean, int vocab) {
    int[] ids = new int[1 + (int) ((i * 7919) % (2L * mean - 1))];
    for (int t = 0; t < ids.length; t++) {
      ids[t] = (int) ((i * 31 + t * 17L) % vocab);
    }
    return ids;
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
