package io.rnnstream.cli.training;

import io.rnnstream.training.tasks.EpochResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The training curve as a PNG (JFreeChart, headless): train and dev loss per epoch on the left
 * axis, the dev metric on the right, a vertical marker at the best (kept) epoch.
 */
public final class TrainingCurve {
  private TrainingCurve() {}

  /** Where the curve of model file {@code model} goes: {@code M.png} with a trailing .rnn dropped. */
  public static Path pathFor(Path model) {
    String name = model.getFileName().toString();
    String base = name.endsWith(".rnn") ? name.substring(0, name.length() - 4) : name;
    return model.resolveSibling(base + ".png");
  }

  public static void write(Path png, String title, String metric, List<EpochResult> history,
      int bestEpoch) throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYSeries train = new XYSeries("train loss");
    XYSeries dev = new XYSeries("dev loss");
    XYSeries m = new XYSeries(metric);
    for (EpochResult e : history) {
      train.add(e.epoch(), e.trainLoss());
      dev.add(e.epoch(), e.devLoss());
      m.add(e.epoch(), e.devMetric());
    }
    XYSeriesCollection losses = new XYSeriesCollection();
    losses.addSeries(train);
    losses.addSeries(dev);
    NumberAxis epochs = new NumberAxis("epoch");
    epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    NumberAxis lossAxis = new NumberAxis("loss");
    lossAxis.setAutoRangeIncludesZero(true);
    XYLineAndShapeRenderer lossRenderer = new XYLineAndShapeRenderer(true, true);
    lossRenderer.setSeriesPaint(0, new Color(0x1f77b4));
    lossRenderer.setSeriesPaint(1, new Color(0xff7f0e));
    XYPlot plot = new XYPlot(losses, epochs, lossAxis, lossRenderer);
    NumberAxis metricAxis = new NumberAxis(metric);
    metricAxis.setAutoRangeIncludesZero(false);
    plot.setRangeAxis(1, metricAxis);
    plot.setDataset(1, new XYSeriesCollection(m));
    plot.mapDatasetToRangeAxis(1, 1);
    XYLineAndShapeRenderer metricRenderer = new XYLineAndShapeRenderer(true, true);
    metricRenderer.setSeriesPaint(0, new Color(0x2ca02c));
    metricRenderer.setSeriesStroke(0, new BasicStroke(2f));
    plot.setRenderer(1, metricRenderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (bestEpoch > 0) {
      ValueMarker best = new ValueMarker(bestEpoch, Color.GRAY, new BasicStroke(1f,
          BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
      best.setLabel("best epoch " + bestEpoch);
      best.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(10, 10, 10, 40));
      plot.addDomainMarker(best);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 480);
  }
}
