/**
 * The three task trainers behind {@code rnnstream train} and the shipped models of
 * {@code models/pretrained/}: {@link io.rnnstream.training.tasks.SentimentTask}
 * (many-to-one LSTM with mean pooling over chat tokens, softmax head),
 * {@link io.rnnstream.training.tasks.SlotTask} (bidirectional LSTM BIO tagger) and
 * {@link io.rnnstream.training.tasks.CaptionTask} (unidirectional LSTM over log-mel frames,
 * CTC). Pure Java on top of {@code io.rnnstream.training}.
 *
 * <p>Each task: featurization (token vocabulary from the training split with {@code <unk>} at
 * id 0, or raw log-mel frames), seeded initialisation, AdamW with global-norm clipping over
 * shuffled mini-batches, an evaluation of the served float32 model on the dev set after every
 * epoch, early stopping with patience (ties on the dev metric go to the lower dev loss), and one
 * evaluation of the best epoch on the test set. {@code Tasks.train(name, options, listener)} runs
 * one; {@link io.rnnstream.training.tasks.TrainingListener} reports steps, epochs and
 * improved snapshots (the CLI's progress bar and Kafka publishing hang off it);
 * {@link io.rnnstream.training.tasks.TaskResult} holds the model (vocab, labels and metrics
 * in its {@code ModelInfo}), the metrics and the per-epoch history.
 *
 * <p>Determinism: the same options (seed included) and data give bit-identical weights, whatever
 * the number of threads: mini-batch gradients are computed in a fixed number of shards and added
 * in shard order. Wall-clock figures (seconds, throughput) and the snapshot's creation time are the
 * only things that change between runs.
 */
package io.rnnstream.training.tasks;
