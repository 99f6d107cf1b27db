package io.rnnstream.training.tasks;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.training.Adam;
import io.rnnstream.training.Bptt;
import io.rnnstream.training.Example;
import io.rnnstream.training.Gradients;
import io.rnnstream.training.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.IntFunction;

/**
 * The epoch loop every task shares: seeded shuffling, mini-batches whose gradients are computed
 * in {@value #SHARDS} fixed shards (on up to {@code threads} threads, summed in shard order, so
 * the thread count never changes the result), global-norm clipping, AdamW, dev evaluation of the
 * served float32 model after every epoch, early stopping with patience, and a copy of the best
 * epoch's weights.
 */
final class FitLoop {
  /** Shards per mini-batch: fixed, so the summation order does not depend on the threads. */
  static final int SHARDS = 4;

  /** Dev loss and metric of a served model. */
  record Eval(double loss, double metric) {}

  /** Scores a served model on the dev set. */
  interface DevEvaluator {
    Eval evaluate(RnnModel served);
  }

  /** The best epoch. */
  record Outcome(TrainableModel best, List<EpochResult> history, int bestEpoch, Eval bestEval) {}

  private final String task;
  private final String metricName;
  private final boolean higherIsBetter;
  private final TrainingOptions options;
  private final TrainingListener listener;

  FitLoop(String task, String metricName, boolean higherIsBetter, TrainingOptions options,
      TrainingListener listener) {
    this.task = task;
    this.metricName = metricName;
    this.higherIsBetter = higherIsBetter;
    this.options = options;
    this.listener = listener == null ? TrainingListener.NONE : listener;
  }

  /**
   * Trains {@code model} in place.
   *
   * @param epochData the training examples of epoch e (1-based), e.g. with fresh token dropout;
   *     the loop shuffles them
   * @param serve the served model for the given weights and metrics (head activation for
   *     serving, vocab and labels set)
   */
  Outcome run(TrainableModel model, IntFunction<List<Example>> epochData,
      BiFunction<TrainableModel, Map<String, Double>, RnnModel> serve, DevEvaluator dev) {
    Adam adam = Adam.builder(options.learningRate()).weightDecay(options.weightDecay()).build();
    SplittableRandom shuffle = new SplittableRandom(options.seed() ^ 0x5DEECE66DL);
    Gradients total = model.newGradients();
    Gradients[] shard = new Gradients[SHARDS];
    for (int i = 0; i < SHARDS; i++) {
      shard[i] = model.newGradients();
    }
    int threads = Math.min(options.threads(), SHARDS);
    ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "rnnstream-train");
      t.setDaemon(true);
      return t;
    }) : null;
    List<EpochResult> history = new ArrayList<>();
    TrainableModel best = model.copy();
    int bestEpoch = 0;
    Eval bestEval = null;
    boolean started = false;
    try {
      for (int epoch = 1; epoch <= options.epochs(); epoch++) {
        adam.setLearningRate(options.learningRateAt(epoch));
        List<Example> data = new ArrayList<>(epochData.apply(epoch));
        if (data.isEmpty()) {
          throw new IllegalArgumentException(task + ": no training data");
        }
        int batch = options.batchSize();
        int steps = (data.size() + batch - 1) / batch;
        if (!started) {
          listener.started(task, options.epochs(), steps, metricName);
          Bptt.loss(model, data.get(0)); // builds the model's cells before threads share them
          started = true;
        }
        for (int i = data.size() - 1; i > 0; i--) { // Fisher-Yates
          int j = shuffle.nextInt(i + 1);
          Example tmp = data.get(i);
          data.set(i, data.get(j));
          data.set(j, tmp);
        }
        long t0 = System.nanoTime();
        double lossSum = 0;
        long frames = 0;
        for (int s = 0; s < steps; s++) {
          List<Example> b = data.subList(s * batch, Math.min(data.size(), (s + 1) * batch));
          double loss = gradients(model, b, shard, pool);
          total.zero();
          for (Gradients g : shard) {
            total.add(g);
          }
          total.scale(1.0 / b.size());
          if (total.isFinite()) {
            if (options.clipNorm() > 0) {
              total.clipByGlobalNorm(options.clipNorm());
            }
            adam.step(model, total);
          }
          for (Example e : b) {
            frames += e.length();
          }
          lossSum += loss;
          listener.step(epoch, s + 1, loss / b.size());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Eval eval = dev.evaluate(serve.apply(model, Map.of()));
        boolean improved = bestEval == null || better(eval, bestEval);
        EpochResult r = new EpochResult(epoch, lossSum / data.size(), eval.loss(), eval.metric(),
            improved, seconds, data.size(), frames);
        history.add(r);
        listener.epoch(r);
        if (improved) {
          best = model.copy();
          bestEpoch = epoch;
          bestEval = eval;
          listener.improved(serve.apply(model, Map.of(
              metricName, eval.metric(), "dev_loss", eval.loss(), "epoch", (double) epoch)), r);
        } else if (epoch - bestEpoch >= options.patience()) {
          listener.message("early stop: no better " + metricName + " for " + (epoch - bestEpoch)
              + " epochs (patience " + options.patience() + "), best epoch " + bestEpoch);
          break;
        }
      }
    } finally {
      if (pool != null) {
        pool.shutdownNow();
      }
    }
    return new Outcome(best, history, bestEpoch, bestEval);
  }

  private boolean better(Eval e, Eval best) {
    if (e.metric() != best.metric()) {
      return higherIsBetter ? e.metric() > best.metric() : e.metric() < best.metric();
    }
    return e.loss() < best.loss();
  }

  /** Fills {@code shard[i]} with the summed gradients of its slice; returns the summed loss. */
  private static double gradients(TrainableModel model, List<Example> batch, Gradients[] shard,
      ExecutorService pool) {
    int n = batch.size();
    List<Callable<Double>> work = new ArrayList<>(SHARDS);
    for (int i = 0; i < SHARDS; i++) {
      List<Example> part = batch.subList(i * n / SHARDS, (i + 1) * n / SHARDS);
      Gradients g = shard[i];
      work.add(() -> {
        g.zero();
        double loss = 0;
        for (Example e : part) {
          loss += Bptt.accumulate(model, e, 0, g);
        }
        return loss;
      });
    }
    double loss = 0;
    try {
      if (pool == null) {
        for (Callable<Double> c : work) {
          loss += c.call();
        }
      } else {
        for (Future<Double> f : pool.invokeAll(work)) {
          loss += f.get();
        }
      }
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("training interrupted", e);
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
    return loss;
  }
}
