package io.rnnstream.training.tasks;

import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.training.TrainableModel;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Helpers shared by the task trainers. */
public final class Tasks {
  /** The trainer string stored in every snapshot these tasks make. */
  public static final String TRAINER = "rnnstream-train 0.1";

  /** The task names of {@code rnnstream train}. */
  public static final List<String> NAMES = List.of("sentiment", "slots", "captions");

  private Tasks() {}

  /**
   * Trains task {@code name} with its default data.
   *
   * @throws IllegalArgumentException for an unknown task name
   */
  public static TaskResult train(String name, TrainingOptions options, TrainingListener listener) {
    return switch (name) {
      case "sentiment" -> SentimentTask.train(options, listener);
      case "slots" -> SlotTask.train(options, listener);
      case "captions" -> CaptionTask.train(options, listener);
      default -> throw new IllegalArgumentException(
          "unknown task '" + name + "', expected one of " + NAMES);
    };
  }

  /** The default options of task {@code name}. */
  public static TrainingOptions defaults(String name) {
    return switch (name) {
      case "sentiment" -> SentimentTask.defaults();
      case "slots" -> SlotTask.defaults();
      case "captions" -> CaptionTask.defaults();
      default -> throw new IllegalArgumentException(
          "unknown task '" + name + "', expected one of " + NAMES);
    };
  }

  static ModelInfo info(String name, Map<String, Double> metrics, List<String> vocab,
      List<String> labels) {
    return new ModelInfo(name, 1, Instant.now().toString(), TRAINER, metrics, vocab, labels);
  }

  static RnnModel withMetrics(RnnModel m, Map<String, Double> metrics) {
    ModelInfo i = m.info();
    return m.withInfo(new ModelInfo(i.name(), i.version(), i.createdAt(), i.trainer(), metrics,
        i.vocab(), i.labels()));
  }

  /** Ids with each one replaced by 0 ({@code <unk>}) with probability {@code p}. */
  static int[] dropout(int[] ids, double p, SplittableRandom rnd) {
    if (p <= 0) {
      return ids;
    }
    int[] out = ids.clone();
    for (int i = 0; i < out.length; i++) {
      if (rnd.nextDouble() < p) {
        out[i] = 0;
      }
    }
    return out;
  }

  /** Seed of epoch {@code epoch}'s random choices, derived from the run's seed. */
  static long epochSeed(long seed, int epoch) {
    return seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
  }

  /** Common figures of a finished run. */
  static Map<String, Double> runMetrics(FitLoop.Outcome o, TrainableModel m, double wallSeconds) {
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("best_epoch", (double) o.bestEpoch());
    out.put("epochs_trained", (double) o.history().size());
    out.put("parameters", (double) m.size());
    double s = 0;
    long seq = 0;
    long frames = 0;
    for (EpochResult e : o.history()) {
      s += e.seconds();
      seq += e.sequences();
      frames += e.frames();
    }
    out.put("train_seconds", round(s, 1));
    out.put("wall_seconds", round(wallSeconds, 1));
    out.put("train_sequences_per_s", round(s == 0 ? 0 : seq / s, 1));
    out.put("train_steps_per_s", round(s == 0 ? 0 : frames / s, 1));
    return out;
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }
}
