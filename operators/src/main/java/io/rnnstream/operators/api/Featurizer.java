package io.rnnstream.operators.api;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Turns a user's record into an {@link RnnEvent}: sets the key and sequence number, and the steps
 * as dense {@code x}, token {@code ids} or {@code tokens}. Runs before the key-by; must be
 * deterministic (replays after a failure featurize again).
 */
@FunctionalInterface
public interface Featurizer<E> extends MapFunction<E, RnnEvent> {}
