package io.rnnstream.jobs.cli;

import io.rnnstream.jobs.demo.SentimentDemo;
import io.rnnstream.jobs.demo.SlotsDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code demo [sentiment]}: the whole product on one machine, nothing to install or start. */
@Command(name = "demo", description = "Start an embedded Kafka and a local Flink, stream real"
    + " chat sentences through the sentiment job, hot-swap the model mid-stream, print live"
    + " predictions and a summary.")
final class DemoCommand implements Callable<Integer> {
  enum Pipeline { sentiment, slots }

  @Parameters(index = "0", arity = "0..1", defaultValue = "sentiment",
      description = "pipeline: ${COMPLETION-CANDIDATES} (default sentiment)")
  Pipeline pipeline;

  @Option(names = "--model",
      description = "version 1 of the model (default: models/pretrained/<pipeline>.rnn)")
  Path model;

  @Option(names = "--conversations", defaultValue = "12")
  int conversations;

  @Option(names = "--rate", defaultValue = "12", description = "messages per second")
  double rate;

  @Option(names = "--fine-tune-epochs", defaultValue = "1",
      description = "epochs of fine-tuning that produce version 2")
  int fineTuneEpochs;

  @Override
  public Integer call() throws Exception {
    if (model == null) {
      model = Path.of("models/pretrained/" + pipeline + ".rnn");
    }
    if (!Files.exists(model)) {
      throw new IllegalArgumentException("no model at " + model + ": run the demo from the"
          + " repository root, or train one with ./rnnstream train " + pipeline + " --out "
          + model);
    }
    if (pipeline == Pipeline.slots) {
      return new SlotsDemo(new SlotsDemo.Settings(model, 150, conversations, rate, fineTuneEpochs,
          Duration.ofSeconds(30)), System.out).run();
    }
    return new SentimentDemo(new SentimentDemo.Settings(model, conversations, rate,
        fineTuneEpochs, Duration.ofSeconds(30)), System.out).run();
  }
}
