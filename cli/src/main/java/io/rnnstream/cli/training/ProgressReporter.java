package io.rnnstream.cli.training;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.training.tasks.EpochResult;
import io.rnnstream.training.tasks.TrainingListener;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The progress of {@code rnnstream train} on stderr: one bar over the whole epoch budget (ETA
 * assumes every epoch runs; early stopping ends sooner) with epoch, step, running loss and the
 * last dev metric; one line per epoch with the dev figures. With {@code bar = false} (or no
 * console) only the lines are printed.
 */
public final class ProgressReporter implements TrainingListener {
  private final PrintStream err;
  private final boolean bar;
  private ProgressBar pb;
  private int maxEpochs;
  private int stepsPerEpoch;
  private String metric = "metric";
  private double lastMetric = Double.NaN;
  private double runningLoss = Double.NaN;

  public ProgressReporter(PrintStream err, boolean bar) {
    this.err = err;
    this.bar = bar;
  }

  @Override
  public void started(String task, int maxEpochs, int stepsPerEpoch, String metric) {
    this.maxEpochs = maxEpochs;
    this.stepsPerEpoch = stepsPerEpoch;
    this.metric = metric;
    if (bar) {
      pb = new ProgressBarBuilder()
          .setTaskName("train " + task)
          .setInitialMax((long) maxEpochs * stepsPerEpoch)
          .setStyle(ProgressBarStyle.ASCII)
          .setConsumer(new ConsoleProgressBarConsumer(err, 150))
          .setUpdateIntervalMillis(500)
          .build();
    }
  }

  @Override
  public void step(int epoch, int step, double batchLoss) {
    runningLoss = Double.isNaN(runningLoss) || step == 1
        ? batchLoss : 0.95 * runningLoss + 0.05 * batchLoss;
    if (pb != null) {
      pb.stepTo((long) (epoch - 1) * stepsPerEpoch + step);
      pb.setExtraMessage(String.format(Locale.ROOT, "epoch %d/%d step %d/%d loss %.4f %s %s",
          epoch, maxEpochs, step, stepsPerEpoch, runningLoss, metric,
          Double.isNaN(lastMetric) ? "-" : String.format(Locale.ROOT, "%.4f", lastMetric)));
    }
  }

  @Override
  public void epoch(EpochResult r) {
    lastMetric = r.devMetric();
    line(String.format(Locale.ROOT,
        "epoch %d/%d: train loss %.4f, dev loss %.4f, %s %.4f%s (%.1f s, %.0f seq/s)",
        r.epoch(), maxEpochs, r.trainLoss(), r.devLoss(), metric, r.devMetric(),
        r.improved() ? " *best*" : "", r.seconds(), r.sequences() / Math.max(1e-9, r.seconds())));
  }

  @Override
  public void improved(RnnModel served, EpochResult result) {}

  @Override
  public void message(String text) {
    line(text);
  }

  /** A line above the bar. */
  public void line(String text) {
    if (pb != null) {
      err.print("\r" + " ".repeat(150) + "\r");
      err.println(text);
      pb.refresh();
    } else {
      err.println(text);
    }
    err.flush();
  }

  /** Finishes the bar (call once training ends). */
  public void close() {
    if (pb != null) {
      pb.stepTo(pb.getMax());
      pb.close();
      pb = null;
    }
  }
}
