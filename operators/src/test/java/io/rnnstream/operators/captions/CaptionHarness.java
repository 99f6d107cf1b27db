package io.rnnstream.operators.captions;

import io.rnnstream.operators.testutils.KeyedBroadcastHarness;
import java.util.List;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;

/** The shared harness around {@link CaptionFunction}, with audio helpers. */
final class CaptionHarness extends KeyedBroadcastHarness<AudioEvent, Caption> {

  private CaptionHarness(Captioning config, OperatorSubtaskState snapshot) throws Exception {
    super(opened(new CoBroadcastWithKeyedOperator<>(new CaptionFunction(config),
            List.of(CaptionFunction.MODELS)), (AudioEvent e) -> e.stream, snapshot, false),
        CaptionFunction.DEAD_LETTERS);
  }

  static CaptionHarness open(Captioning config) throws Exception {
    return new CaptionHarness(config, null);
  }

  /** A fresh operator restored from {@code snapshot} (null: empty), opened. */
  static CaptionHarness restore(Captioning config, OperatorSubtaskState snapshot) throws Exception {
    return new CaptionHarness(config, snapshot);
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
    return outputs();
  }

  List<Caption> captions(String stream) {
    return captions().stream().filter(c -> c.stream.equals(stream)).toList();
  }

  long streamsWithState() throws Exception {
    return keysWithState(CaptionFunction.STREAMS);
  }

  CaptionMetrics metrics() {
    return ((CaptionFunction) function()).metrics();
  }
}
