package io.rnnstream.operators.serving;

import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.captions.AudioEvent;
import io.rnnstream.operators.captions.Captioning;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

/**
 * The step before the key-by runs at its input's parallelism, not the job's: with a one-subtask
 * input and a job parallelism of 2 it would otherwise receive the events round-robin, and two
 * events of one key could reach the keyed operator out of order.
 */
class InputOrderTest {
  static int parallelismOf(StreamExecutionEnvironment env, String name) {
    return env.getStreamGraph(false).getStreamNodes().stream()
        .filter(n -> n.getOperatorName().equals(name))
        .mapToInt(StreamNode::getParallelism)
        .findFirst().orElseThrow(() -> new AssertionError("no operator " + name));
  }

  @Test
  void inferenceShouldFeaturizeAtTheInputsParallelism() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<RnnEvent> events = env.fromData(RnnEvent.ids("k", 0, 1))
        .setParallelism(1);
    DataStream<ModelUpdate> snapshots = env.fromData(new ModelUpdate());
    RnnInference.builder().defaultModel("m").build().apply(events, snapshots)
        .outputs().print();

    assertThat(parallelismOf(env, "rnnstream-featurize")).isEqualTo(1);
    assertThat(parallelismOf(env, "rnnstream-inference")).isEqualTo(2);
  }

  @Test
  void captionsShouldAdmitAtTheInputsParallelism() {
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.setParallelism(2);
    DataStream<AudioEvent> audio = env.fromData(new AudioEvent())
        .setParallelism(1);
    DataStream<ModelUpdate> snapshots = env.fromData(new ModelUpdate());
    Captioning.builder().model("m").greedy().build().apply(audio, snapshots).captions().print();

    assertThat(parallelismOf(env, "rnnstream-captions-admit")).isEqualTo(1);
    assertThat(parallelismOf(env, "rnnstream-captions")).isEqualTo(2);
  }
}
