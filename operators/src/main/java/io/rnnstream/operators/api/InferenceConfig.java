package io.rnnstream.operators.api;

import java.io.Serializable;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * Immutable settings of the inference operator; build with {@link RnnInference#builder()}.
 * Every bound is explicit: no buffer grows without limit.
 */
public final class InferenceConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  final Mode mode;
  final SwapPolicy swapPolicy;
  final int replayLastN;
  final GapPolicy gapPolicy;
  final long gapTimeoutMs;
  final boolean rolling;
  final String defaultModel;
  final Set<String> allowedModels; // empty = any name; unmodifiable
  final int maxWaitingEvents;
  final long modelWaitRetryMs;
  final int maxPendingEvents;
  final int maxStepsPerEvent;
  final int maxSegmentSteps;
  final long idleTimeoutMs; // 0 = never expire
  final int retainedVersions;
  final boolean segmentOutputs;
  final int microBatchSize; // 0 = off
  final long microBatchDelayMs;
  final TrustedKeys trustedKeys;

  InferenceConfig(RnnInference.Builder<?> b) {
    this.mode = require("mode", b.mode);
    this.swapPolicy = require("swapPolicy", b.swapPolicy);
    this.replayLastN = b.replayLastN;
    this.gapPolicy = require("gapPolicy", b.gapPolicy);
    this.gapTimeoutMs = b.gapTimeout.toMillis();
    this.rolling = b.rolling;
    this.defaultModel = b.defaultModel;
    this.allowedModels = java.util.Collections.unmodifiableSet(new TreeSet<>(b.allowedModels));
    this.maxWaitingEvents = b.maxWaitingEvents;
    this.modelWaitRetryMs = b.modelWaitRetry.toMillis();
    this.maxPendingEvents = b.maxPendingEvents;
    this.maxStepsPerEvent = b.maxStepsPerEvent;
    this.maxSegmentSteps = b.maxSegmentSteps;
    this.idleTimeoutMs = b.idleTimeout.toMillis();
    this.retainedVersions = b.retainedVersions;
    this.segmentOutputs = b.segmentOutputs;
    this.microBatchSize = b.microBatchSize;
    this.microBatchDelayMs = b.microBatchDelay.toMillis();
    this.trustedKeys = require("trustedKeys", b.trustedKeys);
    if (microBatchSize < 0 || microBatchSize == 1) {
      throw new IllegalArgumentException(
          "microBatch maxEvents must be 0 (off) or at least 2, got " + microBatchSize);
    }
    if (microBatchSize > 0) {
      positive("microBatch maxDelay", microBatchDelayMs);
    }
    positive("maxWaitingEvents", maxWaitingEvents);
    positive("maxPendingEvents", maxPendingEvents);
    positive("maxStepsPerEvent", maxStepsPerEvent);
    positive("maxSegmentSteps", maxSegmentSteps);
    positive("modelWaitRetry", modelWaitRetryMs);
    positive("gapTimeout", gapTimeoutMs);
    if (retainedVersions < 2) {
      throw new IllegalArgumentException(
          "retainedVersions must be >= 2 (the current version and the one open segments finish"
              + " on), got " + retainedVersions);
    }
    if (idleTimeoutMs < 0) {
      throw new IllegalArgumentException("idleTimeout must be >= 0, got " + b.idleTimeout);
    }
    if (swapPolicy == SwapPolicy.REPLAY_LAST_N) {
      positive("replayLastN", replayLastN);
    } else if (replayLastN != 0) {
      throw new IllegalArgumentException(
          "replayLastN is only used with swapPolicy REPLAY_LAST_N (got " + swapPolicy + ")");
    }
    if (defaultModel != null && !allowedModels.isEmpty() && !allowedModels.contains(defaultModel)) {
      throw new IllegalArgumentException(
          "defaultModel '" + defaultModel + "' is not among models " + allowedModels);
    }
  }

  private static <T> T require(String field, T value) {
    if (value == null) {
      throw new IllegalArgumentException(field + " must be set");
    }
    return value;
  }

  private static void positive(String field, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(field + " must be > 0, got " + value);
    }
  }

  public Mode mode() {
    return mode;
  }

  public SwapPolicy swapPolicy() {
    return swapPolicy;
  }

  public int replayLastN() {
    return replayLastN;
  }

  public GapPolicy gapPolicy() {
    return gapPolicy;
  }

  public Duration gapTimeout() {
    return Duration.ofMillis(gapTimeoutMs);
  }

  /** {@link #gapTimeout()} in milliseconds (no allocation: read per event). */
  public long gapTimeoutMillis() {
    return gapTimeoutMs;
  }

  public boolean rolling() {
    return rolling;
  }

  public String defaultModel() {
    return defaultModel;
  }

  public Set<String> allowedModels() {
    return allowedModels;
  }

  public int maxWaitingEvents() {
    return maxWaitingEvents;
  }

  public Duration modelWaitRetry() {
    return Duration.ofMillis(modelWaitRetryMs);
  }

  public long modelWaitRetryMillis() {
    return modelWaitRetryMs;
  }

  public int maxPendingEvents() {
    return maxPendingEvents;
  }

  public int maxStepsPerEvent() {
    return maxStepsPerEvent;
  }

  public int maxSegmentSteps() {
    return maxSegmentSteps;
  }

  public Duration idleTimeout() {
    return Duration.ofMillis(idleTimeoutMs);
  }

  public long idleTimeoutMillis() {
    return idleTimeoutMs;
  }

  public int retainedVersions() {
    return retainedVersions;
  }

  public boolean segmentOutputs() {
    return segmentOutputs;
  }

  /** Events per micro-batch bundle; 0 when micro-batching is off (the default). */
  public int microBatchSize() {
    return microBatchSize;
  }

  /** The keys a snapshot must be signed by to be served; {@link TrustedKeys#NONE}: any. */
  public TrustedKeys trustedKeys() {
    return trustedKeys;
  }

  /** Longest an event waits in a bundle before the bundle is stepped. */
  public long microBatchDelayMillis() {
    return microBatchDelayMs;
  }
}
