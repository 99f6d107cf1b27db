package io.rnnstream.cli.training;

/**
 * Snapshot versions made by {@code rnnstream train}: the creation time in epoch milliseconds,
 * strictly increasing within the process (a later snapshot of the same name always gets a
 * higher version, also across training runs and machines with sane clocks), so every improved
 * snapshot is "newer than serving" for the Flink model store.
 */
public final class VersionClock {
  private long last;

  public synchronized long next() {
    long now = System.currentTimeMillis();
    last = Math.max(now, last + 1);
    return last;
  }
}
