package io.rnnstream.jobs.captions;

import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.captions.AudioEvent;
import java.io.IOException;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * What every caption input topic shares: a Kafka record (one Avro record type per topic) becomes
 * one {@link AudioEvent}; an empty, oversize or undecodable record becomes a dead letter that
 * carries the raw bytes and says which kind of record it should have been. The audio itself
 * (frame widths, finite values, chunk limits) is checked by the caption operator.
 */
abstract class AudioEventDecoder extends ProcessFunction<RawRecord, AudioEvent> {
  private static final long serialVersionUID = 1L;
  /** Largest record accepted here (the operator has its own, smaller, chunk limits). */
  static final int MAX_RECORD_BYTES = 4 << 20;
  private final OutputTag<DeadLetter> deadLetters;
  private final String kind;

  /** {@code kind} names the record type in dead-letter reasons ("audio chunk"). */
  AudioEventDecoder(OutputTag<DeadLetter> deadLetters, String kind) {
    this.deadLetters = deadLetters;
    this.kind = kind;
  }

  /** The record's event; {@link AudioEvent#source} is set by the caller. */
  abstract AudioEvent decode(RawRecord r) throws IOException;

  @Override
  public final void processElement(RawRecord r, Context ctx, Collector<AudioEvent> out) {
    try {
      if (r.value == null || r.value.length == 0) {
        throw new IOException("empty record");
      }
      if (r.value.length > MAX_RECORD_BYTES) {
        throw new IOException("oversize record: " + r.value.length + " bytes > "
            + MAX_RECORD_BYTES);
      }
      AudioEvent e = decode(r);
      e.source = r.source();
      out.collect(e);
    } catch (IOException | RuntimeException ex) {
      DeadLetter d = DeadLetter.of("event", r.keyString(), r.source(),
          "malformed " + kind + ": " + ex.getMessage(), null);
      d.payload = r.value;
      d.recordKey = r.key;
      ctx.output(deadLetters, d);
    }
  }
}
