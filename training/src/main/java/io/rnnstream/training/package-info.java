/**
 * Offline training of {@link io.rnnstream.models.model.RnnModel}s: backward passes for every cell,
 * layer, pooling and head the inference code has, losses, (truncated) BPTT, clipping and
 * optimisers. Pure JDK, double precision, single-threaded and deterministic.
 *
 * <h2>Parameters and gradients</h2>
 * {@link io.rnnstream.training.TrainableModel} holds a mutable {@code double[]} per tensor,
 * under the canonical names and row-major shapes of
 * {@link io.rnnstream.models.model.Parameters#of} (PyTorch layout: LSTM gate rows i, f, g, o; GRU
 * r, z, n). Build it from a served/imported model ({@code fromModel}), from seeded
 * initialisation ({@code fromInit}: {@link io.rnnstream.models.model.Initializers#uniform};
 * {@code fromIrnn}: identity recurrence), and freeze it back with {@code toModel} (float32,
 * validated by {@code RnnModel.create}). {@link io.rnnstream.training.Gradients} has the
 * same names and shapes; backward passes accumulate into it.
 *
 * <h2>Tape</h2>
 * {@link io.rnnstream.training.SequenceTape} runs the model forward over one sequence (or
 * one truncated-BPTT window, starting from a carried
 * {@link io.rnnstream.training.TrainState}) and keeps, per layer, direction and step, what
 * that step's backward needs (inputs, previous state, gate activations, pre-activations). The
 * per-step outputs equal {@code RnnModel.forward}'s up to float rounding (tested to 1e-5
 * relative): embedding, stacked layers (layer k reads layer k-1's outputs), bidirectional layers
 * ({@code [forward, reverse]} per step, the reverse clock counting from the segment end),
 * incremental pooling (the output at step t is the head applied to the pooled vector of steps
 * 1..t), head.
 *
 * <p>{@code backward(dOutputs, gradients)} takes dL/dy for every step, so any loss that yields
 * per-step output gradients plugs in ({@link io.rnnstream.training.OutputLoss}: the
 * cross-entropies, BCE and MSE of {@link io.rnnstream.training.Losses}, or CTC). It walks
 * head, pooling, then the layers top-down, each direction backwards in time, accumulating
 * parameter gradients into {@code Gradients} and returning dL/dx per step (scattered into the
 * embedding's rows for token models). Gradients stop at the tape's initial state.
 *
 * <h2>Training</h2>
 * {@link io.rnnstream.training.Bptt} cuts a sequence into windows of k steps (truncated
 * BPTT; k = 0 is full BPTT), carrying the state forward as a constant and summing the windows'
 * gradients. {@link io.rnnstream.training.Trainer} averages over a mini-batch, clips (by
 * value, then by global norm) and steps an {@link io.rnnstream.training.Optimizer}
 * ({@link io.rnnstream.training.Sgd} with momentum,
 * {@link io.rnnstream.training.Adam}); weight decay is decoupled (SGDW / AdamW) and skips
 * biases. Or it steps after every window (online TBPTT for long streams).
 *
 * <h2>Classification heads</h2>
 * Classifiers are trained with head activation {@code identity}: the loss applies
 * log-softmax/sigmoid to the logits. Before serving, switch the head to softmax/sigmoid with
 * {@link io.rnnstream.training.Serving} (same weights).
 */
package io.rnnstream.training;
