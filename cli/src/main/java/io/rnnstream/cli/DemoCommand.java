package io.rnnstream.cli;

import io.rnnstream.cli.demo.CaptionsDemo;
import io.rnnstream.cli.demo.SentimentDemo;
import io.rnnstream.cli.demo.SlotsDemo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code demo [sentiment|slots|captions]}: the whole product on one machine, nothing to install
 * or start.
 */
@Command(name = "demo", description = "Start an embedded Kafka and a local Flink, stream real"
    + " chat sentences through the sentiment job (or travel requests through the slot job, or"
    + " speech through the caption job), hot-swap the model mid-stream, print live"
    + " predictions and a summary.")
final class DemoCommand implements Callable<Integer> {
  enum Pipeline { sentiment, slots, captions }

  @Parameters(index = "0", arity = "0..1", defaultValue = "sentiment",
      description = "pipeline: ${COMPLETION-CANDIDATES} (default sentiment)")
  Pipeline pipeline;

  @Option(names = "--model",
      description = "version 1 of the model (default: models/pretrained/<pipeline>.rnn)")
  Path model;

  @Option(names = "--conversations", defaultValue = "12",
      description = "sentiment, slots: conversations / sessions (default 12)")
  int conversations;

  @Option(names = "--rate", defaultValue = "12",
      description = "sentiment, slots: messages per second (default 12)")
  double rate;

  @Option(names = "--fine-tune-epochs", defaultValue = "1",
      description = "sentiment, slots: epochs of fine-tuning that produce version 2 (default 1)")
  int fineTuneEpochs;

  @Option(names = "--streams", defaultValue = "4",
      description = "captions: concurrent speakers (default 4)")
  int streams;

  @Option(names = "--utterances", defaultValue = "6",
      description = "captions: utterances each speaker says (default 6)")
  int utterances;

  @Option(names = "--speed", defaultValue = "1",
      description = "captions: audio pace, 1 = real time, 0 = as fast as possible (default 1)")
  double speed;

  @Option(names = "--chunk-ms", defaultValue = "100",
      description = "captions: milliseconds of audio per AudioChunk record (default 100)")
  int chunkMs;

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
    if (pipeline == Pipeline.captions) {
      CaptionsDemo.Settings d = CaptionsDemo.Settings.defaults(model);
      return new CaptionsDemo(new CaptionsDemo.Settings(model, d.utterances(), streams,
          utterances, chunkMs, speed, d.drainTimeout()), System.out).run();
    }
    if (pipeline == Pipeline.slots) {
      return new SlotsDemo(new SlotsDemo.Settings(model, 150, conversations, rate, fineTuneEpochs,
          Duration.ofSeconds(30)), System.out).run();
    }
    return new SentimentDemo(new SentimentDemo.Settings(model, conversations, rate,
        fineTuneEpochs, Duration.ofSeconds(30)), System.out).run();
  }
}
