package io.rnnstream.operators.captions;

import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.ModelUpdate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;

/** A keyed-broadcast operator harness around {@link CaptionFunction}, with helpers. */
final class CaptionHarness implements AutoCloseable {
  final KeyedBroadcastOperatorTestHarness<String, AudioEvent, ModelUpdate, Caption> h;

  private CaptionHarness(KeyedBroadcastOperatorTestHarness<String, AudioEvent, ModelUpdate, Caption> h) {
    this.h = h;
  }

  static CaptionHarness open(Captioning config) throws Exception {
    return restore(config, null);
  }

  /** A fresh operator restored from {@code snapshot} (null: empty), opened. */
  static CaptionHarness restore(Captioning config, OperatorSubtaskState snapshot) throws Exception {
    var h = new KeyedBroadcastOperatorTestHarness<>(
        new CoBroadcastWithKeyedOperator<>(new CaptionFunction(config),
            List.of(CaptionFunction.MODELS)),
        (AudioEvent e) -> e.stream, Types.STRING, 1, 1, 0);
    h.setup();
    if (snapshot != null) {
      h.initializeState(snapshot);
    } else {
      h.initializeEmptyState();
    }
    h.open();
    return new CaptionHarness(h);
  }

  void model(ModelUpdate u) throws Exception {
    h.processBroadcastElement(new StreamRecord<>(u));
  }

  void event(AudioEvent e) throws Exception {
    h.processElement(new StreamRecord<>(e));
  }

  /** Sends the chunks as events {@code firstSeq, firstSeq + 1, ...}; the last ends the stream if asked. */
  void pcm(String stream, long firstSeq, List<byte[]> chunks, boolean end) throws Exception {
    for (int i = 0; i < chunks.size(); i++) {
      AudioEvent e = AudioEvent.pcm(stream, firstSeq + i, chunks.get(i));
      e.endOfStream = end && i == chunks.size() - 1;
      event(e);
    }
  }

  List<Caption> captions() {
    return h.extractOutputValues();
  }

  List<Caption> captions(String stream) {
    return captions().stream().filter(c -> c.stream.equals(stream)).toList();
  }

  List<DeadLetter> deadLetters() {
    List<DeadLetter> out = new ArrayList<>();
    var side = h.getSideOutput(CaptionFunction.DEAD_LETTERS);
    if (side != null) {
      side.forEach(r -> out.add(r.getValue()));
    }
    return out;
  }

  OperatorSubtaskState snapshot(long id) throws Exception {
    return h.snapshot(id, id);
  }

  long streamsWithState() throws Exception {
    try (var keys = h.getOperator().getKeyedStateBackend()
        .getKeys(CaptionFunction.STREAMS, VoidNamespace.INSTANCE)) {
      return keys.count();
    }
  }

  CaptionMetrics metrics() {
    @SuppressWarnings("unchecked")
    var op = (CoBroadcastWithKeyedOperator<String, AudioEvent, ModelUpdate, Caption>) h.getOperator();
    return ((CaptionFunction) op.getUserFunction()).metrics();
  }

  @Override
  public void close() throws Exception {
    h.close();
  }
}
