package io.rnnstream.training.tasks;

/**
 * One epoch of training.
 *
 * @param epoch 1-based
 * @param trainLoss mean training loss over the epoch's sequences (as computed during the epoch)
 * @param devLoss mean loss on the dev set after the epoch
 * @param devMetric the task's dev metric after the epoch (accuracy, span F1 or CER)
 * @param improved whether {@code devMetric} is the best so far (the early-stopping criterion)
 * @param seconds wall time of the epoch's training (without the dev evaluation)
 * @param sequences training sequences processed in the epoch
 * @param frames training steps (tokens or audio frames) processed in the epoch
 */
public record EpochResult(
    int epoch,
    double trainLoss,
    double devLoss,
    double devMetric,
    boolean improved,
    double seconds,
    long sequences,
    long frames) {}
