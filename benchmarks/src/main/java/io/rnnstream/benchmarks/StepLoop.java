package io.rnnstream.benchmarks;

import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.Initializers;
import io.rnnstream.models.model.ModelInfo;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.RnnState;
import io.rnnstream.models.model.Workspace;
import java.util.Locale;

/**
 * A plain timing loop of one LSTM step (D=64), quicker than JMH for a first look: 8 rounds of
 * 200 000 steps per hidden size, the best round printed.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.rnnstream.benchmarks.StepLoop 64 128 256</pre>
 */
public final class StepLoop {
  private StepLoop() {}

  public static void main(String[] args) {
    int d = 64;
    float sink = 0;
    for (String arg : args.length == 0 ? new String[] {"64", "128", "256"} : args) {
      int h = Integer.parseInt(arg);
      ModelSpec spec = ModelSpec.builder(CellType.LSTM, d, h).build();
      RnnModel m = RnnModel.create(spec, Initializers.uniform(spec, 1, 1.0),
          ModelInfo.named("bench", 1), "bench");
      RnnState s = m.newState();
      Workspace ws = m.newWorkspace();
      float[] x = new float[d];
      for (int i = 0; i < d; i++) {
        x[i] = (float) Math.sin(i);
      }
      double best = Double.MAX_VALUE;
      for (int round = 0; round < 8; round++) {
        int n = 200_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          sink += m.step(s, x, 0, ws)[0];
        }
        best = Math.min(best, (System.nanoTime() - t0) / 1e3 / n);
      }
      System.out.printf(Locale.ROOT, "LSTM H=%d D=%d: %.2f us per step%n", h, d, best);
    }
    if (sink == 42) {
      System.out.println(); // keeps the loop's result alive
    }
  }
}
