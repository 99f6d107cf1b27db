package io.rnnstream.jobs;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** A pipeline with its sources and sinks, ready to be added to an execution environment. */
public interface KafkaJob {
  /** The job's name (the Flink job name, e.g. {@code rnnstream sentiment}). */
  String name();

  /** Adds the job's sources, operators and sinks to {@code env}. */
  void build(StreamExecutionEnvironment env);

  /** Builds the job into {@code env} and submits it without waiting for it to end. */
  default JobClient start(StreamExecutionEnvironment env) throws Exception {
    build(env);
    return env.executeAsync(name());
  }

  /** Builds the job into {@code env} and runs it until it ends. */
  default void run(StreamExecutionEnvironment env) throws Exception {
    build(env);
    env.execute(name());
  }
}
