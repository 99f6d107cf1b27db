package io.rnnstream.jobs;

import io.rnnstream.jobs.kafka.RawRecord;
import io.rnnstream.operators.api.DeadLetter;
import io.rnnstream.operators.api.RnnOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The shape every rnnstream job shares: an input source and the model-snapshot source in, a
 * pipeline in between, an output sink and a dead-letter sink out. Sources and sinks come through
 * the constructor, so tests pass their own and {@code main} passes Kafka's.
 */
public final class PipelineJob implements KafkaJob {
  /** What runs between the sources and the sinks. */
  @FunctionalInterface
  public interface Pipeline {
    Outputs build(DataStream<RawRecord> input, DataStream<RawRecord> snapshots);
  }

  /** The two streams a pipeline produces. */
  public record Outputs(DataStream<RnnOutput> outputs, DataStream<DeadLetter> deadLetters) {}

  private final String name;
  private final Source<RawRecord, ?, ?> input;
  private final Source<RawRecord, ?, ?> snapshots;
  private final Sink<RnnOutput> outputs;
  private final Sink<DeadLetter> deadLetters;
  private final Pipeline pipeline;

  public PipelineJob(String name, Source<RawRecord, ?, ?> input, Source<RawRecord, ?, ?> snapshots,
      Sink<RnnOutput> outputs, Sink<DeadLetter> deadLetters, Pipeline pipeline) {
    this.name = name;
    this.input = input;
    this.snapshots = snapshots;
    this.outputs = outputs;
    this.deadLetters = deadLetters;
    this.pipeline = pipeline;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void build(StreamExecutionEnvironment env) {
    DataStream<RawRecord> in = env.fromSource(input, WatermarkStrategy.noWatermarks(), "input")
        .uid("source-input");
    DataStream<RawRecord> models = env.fromSource(snapshots, WatermarkStrategy.noWatermarks(),
        "model-snapshots").uid("source-model-snapshots").setParallelism(1);
    Outputs out = pipeline.build(in, models);
    out.outputs().sinkTo(outputs).name("outputs").uid("sink-outputs");
    out.deadLetters().sinkTo(deadLetters).name("dead-letters").uid("sink-dead-letters");
  }
}
