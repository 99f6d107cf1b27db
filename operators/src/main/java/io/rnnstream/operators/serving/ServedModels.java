package io.rnnstream.operators.serving;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.TrustedKeys;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.co.BaseBroadcastProcessFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models an operator instance serves: the broadcast state (snapshot bytes under {@code
 * name#version}, and their signatures under {@code name#version#signature}, which Flink
 * checkpoints) and the {@link ModelRegistry} of parsed models over it, rebuilt from the state on
 * the first record after a start or restore.
 *
 * <p>A snapshot is accepted (installed, the oldest versions beyond the retained ones evicted from
 * both), a redelivered duplicate (nothing changes), or rejected: counted, and dead-lettered once
 * by subtask 0 (every parallel instance sees every snapshot), carrying the record it came in.
 *
 * <p>With {@link TrustedKeys}, only snapshots whose signature verifies with one of them are
 * served, and that is checked once per snapshot per instance, when it arrives (and again for the
 * versions in the state when the registry is rebuilt after a restore), never per event. Without,
 * the instance logs once at start that it serves unsigned snapshots.
 */
public final class ServedModels {
  private static final Logger LOG = LoggerFactory.getLogger(ServedModels.class);

  private final MapStateDescriptor<String, byte[]> descriptor;
  private final ModelRegistry registry;
  private final ServingMetrics metrics;
  private final DeadLetters deadLetters;
  private final boolean reportsRejections;
  private final List<String> unservedKeys = new ArrayList<>();
  private boolean loaded;

  /** An instance serving unsigned snapshots. */
  public ServedModels(MapStateDescriptor<String, byte[]> descriptor, int retainedVersions,
      ServingMetrics metrics, DeadLetters deadLetters, int subtask) {
    this(descriptor, retainedVersions, TrustedKeys.NONE, metrics, deadLetters, subtask);
  }

  /** An instance serving only snapshots signed by one of {@code trusted} (none: any). */
  public ServedModels(MapStateDescriptor<String, byte[]> descriptor, int retainedVersions,
      TrustedKeys trusted, ServingMetrics metrics, DeadLetters deadLetters, int subtask) {
    this.descriptor = descriptor;
    this.registry = new ModelRegistry(retainedVersions, trusted);
    this.metrics = metrics;
    this.deadLetters = deadLetters;
    this.reportsRejections = subtask == 0;
    if (reportsRejections) {
      if (trusted.isEmpty()) {
        LOG.warn("{} {}", descriptor.getName(), trusted.describe());
      } else {
        LOG.info("{} {}", descriptor.getName(), trusted.describe());
      }
    }
  }

  /** Fills the registry from the broadcast state, once: afterwards a field read per record. */
  public void load(BaseBroadcastProcessFunction.ReadOnlyContext ctx) throws Exception {
    if (!loaded) {
      load(ctx.getBroadcastState(descriptor).immutableEntries());
    }
  }

  private void load(Iterable<java.util.Map.Entry<String, byte[]>> entries) {
    for (ModelRegistry.Unserved u : registry.load(entries)) {
      unservedKeys.add(u.stateKey()); // removed from the state at the next snapshot offered
      if (u.reason() != null) {
        metrics.modelsRejected.inc();
        if (reportsRejections) {
          LOG.warn("{}: not served: {}", descriptor.getName(), u.reason());
        }
      }
    }
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

  /** {@link #offer(ModelUpdate, Function, BaseBroadcastProcessFunction.Context)} without an operator check. */
  public ModelRegistry.Status offer(ModelUpdate u, BaseBroadcastProcessFunction.Context ctx)
      throws Exception {
    return offer(u, m -> null, ctx);
  }

  /**
   * Offers a snapshot: {@code unfit} says why a snapshot that passes the registry's checks
   * (signature, checksum, format, version) still cannot serve this operator, or null. Returns
   * the outcome; on {@link ModelRegistry.Status#ACCEPTED} the caller drops what it cached for
   * models no longer {@link #serves served}.
   */
  public ModelRegistry.Status offer(ModelUpdate u, Function<RnnModel, String> unfit,
      BaseBroadcastProcessFunction.Context ctx) throws Exception {
    BroadcastState<String, byte[]> state = ctx.getBroadcastState(descriptor);
    if (!loaded) {
      load(state.immutableEntries());
    }
    for (String key : unservedKeys) {
      state.remove(key);
      state.remove(ModelRegistry.signatureKey(key));
    }
    unservedKeys.clear();
    ModelRegistry.Offer offer = registry.offer(u, unfit);
    switch (offer.status()) {
      case ACCEPTED -> {
        String key = ModelRegistry.stateKey(u.name, u.version);
        state.put(key, u.snapshot);
        if (u.signature != null) {
          state.put(ModelRegistry.signatureKey(key), u.signature);
        }
        for (String evicted : offer.evictedKeys()) {
          state.remove(evicted);
          state.remove(ModelRegistry.signatureKey(evicted));
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
