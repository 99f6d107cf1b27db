package io.rnnstream.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Draws the per-key cost of one recurrent step against the number of keys per call, from a JMH
 * JSON result holding {@link OnnxStepBenchmark} (ONNX Runtime and our step with the Vector API
 * kernels) and {@link BatchStepBenchmark} with {@code kernels=scalar} (the auto-vectorised
 * loops), for one cell and hidden size. Prints the table it plots.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rnnstream.benchmarks.PlotStepCosts \
 *   benchmarks/target/jmh.json lstm 128 benchmarks/step-costs-lstm-h128.png</pre>
 */
public final class PlotStepCosts {
  private PlotStepCosts() {}

  public static void main(String[] args) throws IOException {
    JsonNode results = new ObjectMapper().readTree(Path.of(args[0]).toFile());
    String cell = args[1];
    int hidden = Integer.parseInt(args[2]);
    Path png = Path.of(args[3]);
    Map<String, XYSeries> series = new LinkedHashMap<>();
    for (JsonNode r : results) {
      JsonNode p = r.path("params");
      if (!cell.equals(p.path("cell").asText())
          || hidden != p.path("hidden").asInt() || p.path("input").asInt(64) != 64) {
        continue;
      }
      String method = r.path("benchmark").asText();
      String name;
      if (method.endsWith("OnnxStepBenchmark.onnxRuntime")) {
        name = "ONNX Runtime 1.29";
      } else if (method.endsWith("OnnxStepBenchmark.rnnstream")) {
        name = "rnnstream, Vector API kernels";
      } else if (method.endsWith("BatchStepBenchmark.step")) {
        name = "rnnstream, " + p.path("kernels").asText() + " kernels";
      } else {
        continue;
      }
      int batch = p.path("batch").asInt();
      double perKey = r.path("primaryMetric").path("score").asDouble() / batch;
      series.computeIfAbsent(name, XYSeries::new).add(batch, perKey);
    }
    XYSeriesCollection data = new XYSeriesCollection();
    System.out.printf(Locale.ROOT, "%s H=%d: us per key step%n", cell, hidden);
    for (XYSeries s : series.values()) {
      data.addSeries(s);
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-32s", s.getKey()));
      for (int i = 0; i < s.getItemCount(); i++) {
        line.append(String.format(Locale.ROOT, "  B=%s: %.2f", s.getX(i), s.getY(i)));
      }
      System.out.println(line);
    }
    System.setProperty("java.awt.headless", "true");
    LogAxis keys = new LogAxis("keys per call (B), log scale");
    keys.setBase(2);
    keys.setNumberFormatOverride(new java.text.DecimalFormat("0"));
    keys.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1.0)); // one tick per power of 2
    NumberAxis cost = new NumberAxis("microseconds per key step");
    cost.setAutoRangeIncludesZero(true);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    Color[] colors = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
        new Color(0x9467bd)};
    for (int i = 0; i < data.getSeriesCount(); i++) {
      renderer.setSeriesPaint(i, colors[i % colors.length]);
      renderer.setSeriesStroke(i, new BasicStroke(2f));
    }
    XYPlot plot = new XYPlot(data, keys, cost, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    JFreeChart chart = new JFreeChart(
        String.format(Locale.ROOT, "One %s step, H=%d, D=64, one core", cell.toUpperCase(Locale.ROOT),
            hidden), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 800, 480);
    System.out.println("wrote " + png);
  }
}
