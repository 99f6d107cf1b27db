package io.rnnstream.training.tasks;

import io.rnnstream.models.model.RnnModel;
import java.util.List;
import java.util.Map;

/**
 * What a task trainer returns.
 *
 * @param model the best epoch's model, ready to serve (version 1; the CLI re-stamps it), with
 *     vocab, labels and {@link #metrics} in its {@code ModelInfo}
 * @param metrics dev and test figures, baselines, best epoch, wall time and throughput
 * @param history one entry per epoch trained
 * @param bestEpoch the epoch whose weights {@link #model} holds
 * @param wallSeconds the whole run: data preparation, training, evaluation
 */
public record TaskResult(
    RnnModel model,
    Map<String, Double> metrics,
    List<EpochResult> history,
    int bestEpoch,
    double wallSeconds) {

  public TaskResult {
    metrics = Map.copyOf(metrics);
    history = List.copyOf(history);
  }

  /** Training sequences per second over all epochs (training passes only). */
  public double sequencesPerSecond() {
    double s = 0;
    long n = 0;
    for (EpochResult e : history) {
      s += e.seconds();
      n += e.sequences();
    }
    return s == 0 ? 0 : n / s;
  }

  /** Training steps (tokens or frames) per second over all epochs (training passes only). */
  public double framesPerSecond() {
    double s = 0;
    long n = 0;
    for (EpochResult e : history) {
      s += e.seconds();
      n += e.frames();
    }
    return s == 0 ? 0 : n / s;
  }
}
