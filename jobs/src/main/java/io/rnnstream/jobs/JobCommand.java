package io.rnnstream.jobs;

import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The job jar's command: {@code sentiment|slots|captions --bootstrap HOST:PORT [options]} (the
 * options of {@link RunOptions}) runs the pipeline on the environment Flink hands the jar, that
 * is on the cluster it was submitted to, until the job ends.
 */
@Command(name = "rnnstream-jobs", mixinStandardHelpOptions = true,
    description = "Run an rnnstream pipeline (sentiment, slots, captions) against Kafka on the"
        + " Flink cluster this jar is submitted to.")
public final class JobCommand implements Callable<Integer> {
  @Mixin
  RunOptions options;

  @Override
  public Integer call() throws Exception {
    options.validate();
    System.err.println("rnnstream " + options.pipeline() + ": " + options.describeTrust());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(options.configuration());
    if (options.parallelism() != null) {
      env.setParallelism(options.parallelism());
    }
    options.job().run(env);
    return 0;
  }
}
