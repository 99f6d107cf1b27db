package io.rnnstream.operators.serving;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.ModelUpdate;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;

/**
 * The models an operator instance serves: the broadcast state (snapshot bytes under {@code
 * name#version}, which Flink checkpoints) and the {@link ModelRegistry} of parsed models over it,
 * rebuilt from the state on the first record after a start or restore.
 *
 * <p>A snapshot is accepted (installed, the oldest versions beyond the retained ones evicted from
 * both), a redelivered duplicate (nothing changes), or rejected: counted, and dead-lettered once
 * by subtask 0 (every parallel instance sees every snapshot).
 */
public final class ServedModels {
  private final MapStateDescriptor<String, byte[]> descriptor;
  private final ModelRegistry registry;
  private final ServingMetrics metrics;
  private final DeadLetters deadLetters;
  private final boolean reportsRejections;
  private boolean loaded;

  public ServedModels(MapStateDescriptor<String, byte[]> descriptor, int retainedVersions,
      ServingMetrics metrics, DeadLetters deadLetters, int subtask) {
    this.descriptor = descriptor;
    this.registry = new ModelRegistry(retainedVersions);
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.reportsRejections = subtask == 0;
  }

  /** Fills the registry from the broadcast state, once: afterwards a field read per record. */
  public void load(BaseBroadcastProcessFunction.ReadOnlyContext ctx) throws Exception {
    if (!loaded) {
      load(ctx.getBroadcastState(descriptor).immutableEntries());
    }
  }

  private void load(Iterable<java.util.Map.Entry<String, byte[]>> entries) {
    registry.load(entries);
    registry.activeVersions().forEach(metrics::activeVersion);
    loaded = true;
  }

  /** The registry of parsed models (read-only use: snapshots come in through {@link #offer}). */
  public ModelRegistry registry() {
    return registry;
  }

  /** The newest version of {@code name}, or null before its first. */
  public RnnModel latest(String name) {
    return registry.latest(name);
  }

  /** Version {@code version} of {@code name}, or null when it is not (or no longer) served. */
  public RnnModel get(String name, long version) {
    return registry.get(name, version);
  }

  /** Whether {@code model} is the instance served under its name and version (caches check it). */
  public boolean serves(RnnModel model) {
    return registry.get(model.info().name(), model.info().version()) == model;
  }

  /**
   * Offers a snapshot: {@code unfit} (null: none) is a reason the operator refuses it before the
   * registry's own checks. Returns the outcome; on {@link ModelRegistry.Status#ACCEPTED} the
   * caller drops what it cached for models no longer {@link #serves served}.
   */
  public ModelRegistry.Status offer(ModelUpdate u, String unfit,
      BaseBroadcastProcessFunction.Context ctx) throws Exception {
    BroadcastState<String, byte[]> state = ctx.getBroadcastState(descriptor);
    if (!loaded) {
      load(state.immutableEntries());
    }
    ModelRegistry.Offer offer = unfit != null
        ? new ModelRegistry.Offer(ModelRegistry.Status.REJECTED, null, unfit, List.of())
        : registry.offer(u);
    switch (offer.status()) {
      case ACCEPTED -> {
        state.put(ModelRegistry.stateKey(u.name, u.version), u.snapshot);
        for (String evicted : offer.evictedKeys()) {
          state.remove(evicted);
        }
        metrics.modelsAccepted.inc();
        metrics.activeVersion(u.name, u.version);
      }
      case DUPLICATE -> {}
      case REJECTED -> {
        metrics.modelsRejected.inc();
        if (reportsRejections) {
          deadLetters.snapshot(ctx, u, offer.reason());
        }
      }
    }
    return offer.status();
  }
}
