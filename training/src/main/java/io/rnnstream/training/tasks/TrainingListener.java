package io.rnnstream.training.tasks;

import io.rnnstream.models.model.RnnModel;

/**
 * Progress callbacks of a task trainer (all optional). Called on the training thread, in this
 * order: {@link #started}, then per epoch {@link #step} once per mini-batch, {@link #epoch} after
 * the dev evaluation and, when the dev metric improved, {@link #improved} with the snapshot to
 * serve. The CLI draws its progress bar and publishes snapshots from here.
 */
public interface TrainingListener {
  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /**
   * Training begins.
   *
   * @param task task name ("sentiment", "slots", "captions")
   * @param maxEpochs the epoch budget (early stopping may end sooner)
   * @param stepsPerEpoch mini-batches per epoch
   * @param metric name of the dev metric ("dev_accuracy", "dev_f1", "dev_cer")
   */
  default void started(String task, int maxEpochs, int stepsPerEpoch, String metric) {}

  /** One optimiser step done: {@code step} counts from 1 within the 1-based {@code epoch}. */
  default void step(int epoch, int step, double batchLoss) {}

  /** An epoch ended and was evaluated on the dev set. */
  default void epoch(EpochResult result) {}

  /**
   * The dev metric improved: {@code served} is the model to serve as of this epoch (head
   * activation for serving, vocab/labels and dev metrics in its {@code ModelInfo}).
   */
  default void improved(RnnModel served, EpochResult result) {}

  /** A line of information for the user (data sizes, architecture, test figures). */
  default void message(String text) {}
}
