package io.rnnstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.cli.training.ProgressReporter;
import io.rnnstream.cli.training.TrainingCurve;
import io.rnnstream.cli.training.VersionClock;
import io.rnnstream.jobs.kafka.SnapshotPublisher;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.training.tasks.EpochResult;
import io.rnnstream.training.tasks.TaskResult;
import io.rnnstream.training.tasks.Tasks;
import io.rnnstream.training.tasks.TrainingListener;
import io.rnnstream.training.tasks.TrainingOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code train sentiment|slots|captions [--epochs N] [--seed S] [--no-test] --out M [--publish
 * --bootstrap HOST:PORT [--topic T] [--sign-key K.pem]]}: trains a task model with its default settings (those of the
 * shipped models), shows progress on stderr, writes the best epoch's model to {@code M} and its
 * training curve next to it, and prints a JSON summary line on stdout. {@code --no-test} is for
 * runs that choose a recipe on dev: the test split is then neither read nor scored, and neither
 * the progress lines, the summary nor the model's metrics mention it. With {@code --publish}, every
 * improved snapshot goes to the model topic as it trains, signed with {@code --sign-key}. Versions are creation times in epoch
 * milliseconds ({@link VersionClock}).
 */
@Command(
    name = "train",
    description = "Train a task model (sentiment | slots | captions) with dev evaluation per epoch"
        + " and early stopping; writes M, its training curve (M without .rnn + .png) and prints a"
        + " JSON summary. --publish sends every improved snapshot to Kafka while training.")
final class TrainCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TASK", description = "sentiment | slots | captions")
  String task;

  @Option(names = "--out", required = true, paramLabel = "M", description = "model file to write")
  Path out;

  @Option(names = "--epochs", paramLabel = "N", description = "maximum epochs (default: the task's)")
  Integer epochs;

  @Option(names = "--seed", paramLabel = "S", description = "seed (default: 1)")
  Long seed;

  @Option(names = "--patience", paramLabel = "P",
      description = "early stopping: epochs without a better dev metric (default: the task's)")
  Integer patience;

  @Option(names = "--threads", paramLabel = "T",
      description = "gradient worker threads (speed only: results do not depend on it)")
  Integer threads;

  @Option(names = "--train-size", paramLabel = "N", hidden = true,
      description = "use only N training sequences (quick runs and tests)")
  Integer trainSize;

  @Option(names = "--dev-size", paramLabel = "N", hidden = true,
      description = "use only N dev sequences (quick runs and tests)")
  Integer devSize;

  @Option(names = "--no-test",
      description = "do not read or score the test split and print nothing about it (for runs"
          + " that choose a recipe on dev)")
  boolean noTest;

  @Option(names = "--hidden", paramLabel = "H", hidden = true,
      description = "hidden size per layer (default: the task's)")
  Integer hidden;

  @Option(names = "--layers", paramLabel = "L", hidden = true,
      description = "stacked recurrent layers (captions; default: the task's)")
  Integer layers;

  @Option(names = "--lr", paramLabel = "R", hidden = true,
      description = "learning rate (default: the task's)")
  Double lr;

  @Option(names = "--extra-train", paramLabel = "N", hidden = true,
      description = "captions: utterances of the train-only extra corpus (default: the task's)")
  Integer extraTrain;

  @Option(names = "--init", paramLabel = "M",
      description = "captions: start from this caption model's weights (fine-tuning; same"
          + " architecture) instead of a seeded initialisation")
  Path init;

  @Option(names = "--select-lead", negatable = true,
      description = "captions: choose the epoch on the mean of the dev CER without and with"
          + " 0.3 s of leading silence (how the caption operator hears an utterance after a"
          + " pause) instead of on the plain dev CER (default: the task's)")
  Boolean selectLead;

  @Option(names = "--blank-lead", negatable = true,
      description = "captions: the silence or noise put before each training utterance must be"
          + " the blank (no character may be emitted before the speech starts; default: the"
          + " task's)")
  Boolean blankLead;

  @Option(names = "--name", paramLabel = "N", description = "model name (default: the task's)")
  String name;

  @Option(names = "--no-progress", description = "no progress bar (epoch lines only)")
  boolean noProgress;

  @Option(names = "--publish", description = "publish every improved snapshot to Kafka")
  boolean publish;

  @Mixin
  KafkaOptions kafka = new KafkaOptions();

  @Override
  public Integer call() throws Exception {
    if (!Tasks.NAMES.contains(task)) {
      throw new IllegalArgumentException(
          "unknown task '" + task + "', expected one of " + Tasks.NAMES);
    }
    if (kafka.signKey != null && !publish) {
      throw new IllegalArgumentException("--sign-key signs the snapshots --publish sends:"
          + " add --publish --bootstrap HOST:PORT, or sign the written model with ./rnnstream"
          + " sign");
    }
    TrainingOptions.Builder b = Tasks.defaults(task).toBuilder();
    if (epochs != null) {
      b.epochs(epochs);
    }
    if (seed != null) {
      b.seed(seed);
    }
    if (patience != null) {
      b.patience(patience);
    }
    if (threads != null) {
      b.threads(threads);
    }
    if (trainSize != null) {
      b.trainSize(trainSize);
    }
    if (devSize != null) {
      b.devSize(devSize);
    }
    if (noTest) {
      b.scoreTest(false);
    }
    if (hidden != null) {
      b.hiddenSize(hidden);
    }
    if (layers != null) {
      b.numLayers(layers);
    }
    if (lr != null) {
      b.learningRate(lr);
    }
    if (extraTrain != null) {
      b.extraTrainSize(extraTrain);
    }
    if ((init != null || selectLead != null || blankLead != null) && !task.equals("captions")) {
      throw new IllegalArgumentException(
          "--init, --select-lead and --blank-lead apply to captions only");
    }
    if (init != null) {
      b.initFrom(init);
    }
    if (selectLead != null) {
      b.selectOnLead(selectLead);
    }
    if (blankLead != null) {
      b.blankLead(blankLead);
    }
    TrainingOptions options = b.build();
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    VersionClock clock = new VersionClock();
    SnapshotPublisher publisher = publish ? kafka.publisher() : null;
    boolean bar = !noProgress;
    ProgressReporter progress = new ProgressReporter(System.err, bar);
    progress.line("train " + task + ": " + options);
    TrainingListener listener = new TrainingListener() {
      @Override
      public void started(String t, int maxEpochs, int steps, String metric) {
        progress.started(t, maxEpochs, steps, metric);
      }

      @Override
      public void step(int epoch, int step, double loss) {
        progress.step(epoch, step, loss);
      }

      @Override
      public void epoch(EpochResult r) {
        progress.epoch(r);
      }

      @Override
      public void improved(RnnModel served, EpochResult r) {
        if (publisher == null) {
          return;
        }
        RnnModel m = stamp(served, clock.next());
        try {
          SnapshotPublisher.Published p = publisher.publish(m);
          progress.line("published " + p.name() + " v" + p.version() + " (epoch " + r.epoch()
              + ") to " + p.topic() + " offset " + p.offset()
              + (p.keyId() == null ? "" : ", signed by key " + p.keyId()));
        } catch (Exception e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      }

      @Override
      public void message(String text) {
        progress.line(text);
      }
    };
    TaskResult result;
    try {
      result = Tasks.train(task, options, listener);
    } finally {
      progress.close();
      if (publisher != null) {
        publisher.close();
      }
    }
    RnnModel model = stamp(result.model(), clock.next());
    SnapshotFormat.write(model, out);
    Path png = TrainingCurve.pathFor(out);
    String metric = switch (task) {
      case "sentiment" -> "dev accuracy";
      case "slots" -> "dev span F1";
      default -> "dev CER";
    };
    TrainingCurve.write(png, "rnnstream train " + task + " (seed " + options.seed() + ")",
        metric, result.history(), result.bestEpoch());
    ObjectNode o = TextLines.JSON.createObjectNode();
    o.put("task", task);
    o.put("model", out.toString());
    o.put("curve", png.toString());
    o.put("name", model.info().name());
    o.put("version", model.info().version());
    o.put("sha256", SnapshotFormat.sha256Hex(SnapshotFormat.toBytes(model)));
    ObjectNode metrics = o.putObject("metrics");
    for (Map.Entry<String, Double> e : result.metrics().entrySet()) {
      metrics.put(e.getKey(), e.getValue());
    }
    System.err.printf("wrote %s (%s v%d, %d bytes) and %s%n", out, model.info().name(),
        model.info().version(), Files.size(out), png);
    System.out.println(o);
    return 0;
  }

  private RnnModel stamp(RnnModel m, long version) {
    io.rnnstream.models.model.ModelInfo i = m.info();
    return m.withInfo(new io.rnnstream.models.model.ModelInfo(name == null ? i.name() : name,
        version, i.createdAt(), i.trainer(), i.metrics(), i.vocab(), i.labels()));
  }
}
