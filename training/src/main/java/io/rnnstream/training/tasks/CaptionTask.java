package io.rnnstream.training.tasks;

import io.rnnstream.models.audio.LogMelExtractor;
import io.rnnstream.models.audio.WavReader;
import io.rnnstream.models.captions.CaptionConfig;
import io.rnnstream.models.captions.CaptionStream;
import io.rnnstream.models.captions.CaptionUpdate;
import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.ctc.CtcLoss;
import io.rnnstream.models.ctc.GreedyDecoder;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.TensorNames;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.training.Example;
import io.rnnstream.training.Losses;
import io.rnnstream.training.OutputLoss;
import io.rnnstream.training.Serving;
import io.rnnstream.training.TrainableModel;
import io.rnnstream.training.data.SpeechManifest;
import io.rnnstream.training.data.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Captions: log-mel frames (the streaming {@link LogMelExtractor}: 40 bands, 25 ms windows, 10 ms
 * hop, 100 frames per second, exactly what the caption operator computes from PCM) into a
 * <b>unidirectional (stacked) LSTM</b> and a per-frame head over {@code C = 28} classes: blank
 * (class 0), space, a..z. Trained with CTC ({@link CtcLoss}, per utterance, divided by the
 * transcript length) on the espeak-ng corpus of {@code data/speech} (train voices), selected on
 * dev-voice greedy CER, reported as greedy CER on test voices (never seen in training).
 *
 * <p>Serving contract: the model reads raw extractor frames, one step per frame (no stacking,
 * no subsampling), and outputs per-frame <b>probabilities</b> (softmax head); {@code ln} of them
 * are the log-probabilities {@code rnnstream ctc} and the decoders take, with labels
 * {@value #ALPHABET_DOC} (a space first, then a..z) and blank 0:
 * {@code rnnstream ctc --labels " abcdefghijklmnopqrstuvwxyz" --blank 0}. The model's {@code
 * ModelInfo.labels} list the classes in head order ({@code "<blank>", " ", "a", ..., "z"});
 * {@link CaptionStream#alphabetOf(RnnModel)} rebuilds the {@link CtcAlphabet} from them, for
 * training and serving alike.
 *
 * <p>Feature normalisation: training standardises each band with the training frames' mean and
 * standard deviation; the shipped model has that affine map folded into its first layer ({@code
 * W' = W / sigma}, {@code b' = b - W (mu / sigma)}), so nothing outside the model normalises.
 */
public final class CaptionTask {
  public static final String NAME = "captions";
  /** The characters of classes 1..27 (class 0 is the blank). */
  public static final String ALPHABET = " abcdefghijklmnopqrstuvwxyz";
  static final String ALPHABET_DOC = "\" abcdefghijklmnopqrstuvwxyz\"";
  public static final String BLANK_LABEL = "<blank>";
  /** Head rows: blank, then the characters of {@link #ALPHABET}. */
  public static final List<String> LABELS = labels();
  static final int SILENCE_MARGIN = 20;
  static final float SILENCE_LEVEL = -5f;

  private CaptionTask() {}

  /** A featurized utterance: its transcript and its raw log-mel frames {@code [t] (40)}. */
  public record Clip(String text, float[][] frames) {}

  /**
   * The caption recipe from scratch (the blank-lead recipe of {@code models/pretrained/README.md}): two stacked
   * LSTM layers of 96, the main corpus's train split plus 6400 utterances of the train-only extra
   * corpus ({@code data/speech/synth.sh} makes both), 24 epochs (learning rate constant for the
   * first 10, then a half cosine to 0.05x), patience 8 (with 4 a plateau during the constant
   * rate could end the run early); the padding's lead must be blank ({@link
   * TrainingOptions#blankLead()}) and the epoch is chosen on the mean of the plain and the
   * 0.3 s-lead dev CER ({@link TrainingOptions#selectOnLead()}). The shipped {@code
   * models/pretrained/captions.rnn} is these settings without those two (the plain-CTC model),
   * fine-tuned with
   * them for 8 epochs at learning rate 0.001 ({@code models/pretrained/train-captions.sh}).
   */
  public static TrainingOptions defaults() {
    return TrainingOptions.builder()
        .epochs(24)
        .patience(8)
        .seed(1)
        .batchSize(8)
        .learningRate(0.003)
        .hiddenSize(96)
        .numLayers(2)
        .extraTrainSize(6400)
        .clipNorm(5)
        .augment(true)
        .finalLearningRate(0.05)
        .blankLead(true)
        .selectOnLead(true)
        .build();
  }

  private static List<String> labels() {
    List<String> out = new ArrayList<>();
    out.add(BLANK_LABEL);
    ALPHABET.codePoints().forEach(c -> out.add(new String(Character.toChars(c))));
    return List.copyOf(out);
  }

  /** Log-mel frames of a 16 kHz mono PCM16 WAV, as the streaming extractor emits them. */
  public static float[][] features(Path wav) throws IOException {
    return new LogMelExtractor().extract(WavReader.read(wav));
  }

  /** The label sequence of a transcript (characters outside {@link #ALPHABET} are rejected). */
  public static int[] labelsOf(String text) {
    int[] out = new int[text.length()];
    for (int i = 0; i < out.length; i++) {
      int k = ALPHABET.indexOf(text.charAt(i));
      if (k < 0) {
        throw new IllegalArgumentException("character '" + text.charAt(i) + "' of \"" + text
            + "\" is not in the caption alphabet \"" + ALPHABET + "\"");
      }
      out[i] = k + 1;
    }
    return out;
  }

  /** Greedy transcript of raw log-mel frames by a served caption model. */
  public static String transcribe(RnnModel model, float[][] frames) {
    if (frames.length == 0) {
      return "";
    }
    GreedyDecoder decoder = new GreedyDecoder(CaptionStream.alphabetOf(model));
    GreedyDecoder.State st = decoder.newState();
    for (float[] p : model.forward(frames)) {
      decoder.step(st, logOf(p), 0);
    }
    return decoder.finalResult(st).text();
  }

  /** Character error rate: total edit distance / total reference length. */
  public static double cer(List<String> references, List<String> hypotheses) {
    long edits = 0;
    long chars = 0;
    for (int i = 0; i < references.size(); i++) {
      edits += editDistance(references.get(i), hypotheses.get(i));
      chars += references.get(i).length();
    }
    return chars == 0 ? 0 : (double) edits / chars;
  }

  /** Levenshtein distance over characters. */
  public static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** Greedy CER of a served model on featurized clips. */
  public static double cer(RnnModel model, List<Clip> clips) {
    return evaluate(model, clips).metric();
  }

  static FitLoop.Eval evaluate(RnnModel model, List<Clip> clips) {
    CtcAlphabet alphabet = CaptionStream.alphabetOf(model);
    GreedyDecoder decoder = new GreedyDecoder(alphabet);
    List<String> refs = new ArrayList<>();
    List<String> hyps = new ArrayList<>();
    double loss = 0;
    int counted = 0;
    for (Clip c : clips) {
      float[][] y = model.forward(c.frames());
      double[][] logp = new double[y.length][];
      GreedyDecoder.State st = decoder.newState();
      for (int t = 0; t < y.length; t++) {
        logp[t] = logOf(y[t]);
        decoder.step(st, logp[t], 0);
      }
      refs.add(c.text());
      hyps.add(decoder.finalResult(st).text());
      double l = CtcLoss.negLogLikelihood(logp, labelsOf(c.text()), 0);
      if (Double.isFinite(l)) {
        loss += l / Math.max(1, c.text().length());
        counted++;
      }
    }
    return new FitLoop.Eval(counted == 0 ? 0 : loss / counted, cer(refs, hyps));
  }

  private static double[] logOf(float[] p) {
    double[] out = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      out[i] = Math.log(p[i]);
    }
    return out;
  }

  /** Featurizes utterances (in parallel; the order is kept). */
  public static List<Clip> featurize(List<SpeechManifest.Utterance> utterances) {
    return IntStream.range(0, utterances.size()).parallel().mapToObj(i -> {
      SpeechManifest.Utterance u = utterances.get(i);
      try {
        return new Clip(u.text(), features(u.wav()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + u.wav(), e);
      }
    }).toList();
  }

  /** The train-only extra corpus next to the main manifest ({@code generated/extra/}). */
  public static Path extraManifest(Path manifest) {
    return manifest.toAbsolutePath().getParent().resolve("extra").resolve("manifest.jsonl");
  }

  /** Leading silence of the served condition: 0.3 s of digital silence before each utterance. */
  public static final int SERVED_LEAD_SAMPLES = 4800;

  /**
   * Trains on the generated corpus ({@link SpeechManifest#defaultManifest()}, plus the first
   * {@link TrainingOptions#extraTrainSize()} utterances of {@link #extraManifest}). Besides the
   * dev CER the selection uses, it reports {@code dev_cer_lead03}: the chosen model's dev CER with
   * 0.3 s of digital silence before each utterance (the caption operator resets the state at an
   * endpoint and then hears the rest of the pause).
   */
  public static TaskResult train(TrainingOptions o, TrainingListener listener) {
    Path manifest = SpeechManifest.defaultManifest();
    List<SpeechManifest.Utterance> all = SpeechManifest.load(manifest);
    List<SpeechManifest.Utterance> train = new ArrayList<>(SentimentTask.limit(
        all.stream().filter(u -> u.split() == Split.TRAIN).toList(), o.trainSize()));
    if (o.extraTrainSize() > 0) {
      Path extra = extraManifest(manifest);
      if (!java.nio.file.Files.isRegularFile(extra)) {
        throw new IllegalStateException("extra training corpus " + extra + " not found: run"
            + " data/speech/synth.sh (it makes generated/extra/ with the default EXTRA)");
      }
      List<SpeechManifest.Utterance> more =
          SpeechManifest.load(extra).stream().filter(u -> u.split() == Split.TRAIN).toList();
      if (more.size() < o.extraTrainSize()) {
        throw new IllegalStateException("extra training corpus " + extra + " has " + more.size()
            + " utterances, " + o.extraTrainSize() + " wanted: run data/speech/synth.sh with"
            + " EXTRA >= " + o.extraTrainSize());
      }
      train.addAll(more.subList(0, o.extraTrainSize()));
    }
    List<SpeechManifest.Utterance> dev = SentimentTask.limit(
        all.stream().filter(u -> u.split() == Split.DEV).toList(), o.devSize());
    List<SpeechManifest.Utterance> test = o.scoreTest()
        ? all.stream().filter(u -> u.split() == Split.TEST).toList() : List.of();
    checkVoicesDisjoint(train, all.stream().filter(u -> u.split() != Split.TRAIN).toList());
    TrainingListener l = listener == null ? TrainingListener.NONE : listener;
    long t0 = System.nanoTime();
    List<Clip> trainClips = featurize(train);
    List<Clip> devClips = featurize(dev);
    List<Clip> devLead = featurize(dev, SERVED_LEAD_SAMPLES);
    List<Clip> testClips = featurize(test);
    l.message(String.format("captions: featurized %d + %d%s utterances in %.1f s",
        train.size(), dev.size(), o.scoreTest() ? " + " + test.size() : "",
        (System.nanoTime() - t0) / 1e9));
    TaskResult r = train(trainClips, devClips, testClips, devLead, o, l);
    // the product's condition: the utterances as one stream with pauses, through CaptionStream
    Map<String, Double> metrics = new LinkedHashMap<>(r.model().info().metrics());
    metrics.put("dev_cer_stream", Tasks.round(streamCer(r.model(), dev), 4));
    if (!test.isEmpty()) {
      metrics.put("test_cer_stream", Tasks.round(streamCer(r.model(), test), 4));
    }
    l.message(String.format(Locale.ROOT, "captions: dev CER %.4f as one stream with 1 s pauses"
        + " (greedy, CaptionStream)", metrics.get("dev_cer_stream")));
    return new TaskResult(Tasks.withMetrics(r.model(), metrics), metrics, r.history(),
        r.bestEpoch(), r.wallSeconds());
  }

  /** Zero samples after each utterance of {@link #streamCer}: 1 s. */
  public static final int STREAM_PAUSE_SAMPLES = 16000;

  /** {@link #streamCer(RnnModel, CaptionConfig.Decoder, List, List)}, greedy, of utterances. */
  static double streamCer(RnnModel model, List<SpeechManifest.Utterance> utterances) {
    List<short[]> pcms = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (SpeechManifest.Utterance u : utterances) {
      try {
        pcms.add(WavReader.read(u.wav()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + u.wav(), e);
      }
      refs.add(u.text());
    }
    return streamCer(model, CaptionConfig.Decoder.GREEDY, pcms, refs);
  }

  /**
   * The CER of the product's condition: the utterances as one stream through {@link
   * CaptionStream} (default endpointing), each followed by {@link #STREAM_PAUSE_SAMPLES} zero
   * samples, so every utterance after the first is heard from a state reset at an endpoint plus
   * the rest of the pause. The final captions joined by spaces are scored against the
   * transcripts joined the same way (a caption split or merged at the wrong place costs only the
   * characters it gets wrong).
   */
  public static double streamCer(RnnModel model, CaptionConfig.Decoder decoder,
      List<short[]> pcms, List<String> refs) {
    if (pcms.size() != refs.size()) {
      throw new IllegalArgumentException(pcms.size() + " utterances but " + refs.size()
          + " transcripts");
    }
    CaptionStream stream = CaptionStream.create(model,
        CaptionConfig.builder().decoder(decoder).build());
    CaptionStream.State s = stream.newState();
    StringBuilder said = new StringBuilder();
    java.util.function.Consumer<CaptionUpdate> out = u -> {
      if (u.isFinal() && !u.text().isBlank()) {
        said.append(said.length() == 0 ? "" : " ").append(u.text().trim());
      }
    };
    short[] pause = new short[STREAM_PAUSE_SAMPLES];
    for (short[] pcm : pcms) {
      stream.acceptPcm16(s, pcm, 0, pcm.length, out);
      stream.acceptPcm16(s, pause, 0, pause.length, out);
    }
    stream.endOfStream(s, out);
    return cer(List.of(String.join(" ", refs)), List.of(said.toString()));
  }

  /**
   * Throws if a training voice shares its language voice or its variant with a dev or test voice
   * (voices are {@code LANG} or {@code LANG+VARIANT}; "en" and "en-gb" are the same language
   * voice in espeak-ng).
   */
  static void checkVoicesDisjoint(List<SpeechManifest.Utterance> train,
      List<SpeechManifest.Utterance> heldOut) {
    java.util.Set<String> langs = new java.util.HashSet<>();
    java.util.Set<String> variants = new java.util.HashSet<>();
    for (SpeechManifest.Utterance u : heldOut) {
      langs.add(language(u.voice()));
      variants.add(variant(u.voice()));
    }
    variants.remove("");
    for (SpeechManifest.Utterance u : train) {
      if (langs.contains(language(u.voice())) || variants.contains(variant(u.voice()))) {
        throw new IllegalStateException("training utterance " + u.wav() + " has voice "
            + u.voice() + ", whose language voice or variant a dev or test voice uses");
      }
    }
  }

  static String language(String voice) {
    int plus = voice.indexOf('+');
    String lang = (plus < 0 ? voice : voice.substring(0, plus)).toLowerCase(java.util.Locale.ROOT);
    return lang.equals("en") ? "en-gb" : lang;
  }

  static String variant(String voice) {
    int plus = voice.indexOf('+');
    return plus < 0 ? "" : voice.substring(plus + 1).toLowerCase(java.util.Locale.ROOT);
  }

  /** Featurizes utterances with {@code leadSamples} zero samples before each (in parallel). */
  static List<Clip> featurize(List<SpeechManifest.Utterance> utterances, int leadSamples) {
    return IntStream.range(0, utterances.size()).parallel().mapToObj(i -> {
      SpeechManifest.Utterance u = utterances.get(i);
      try {
        short[] pcm = WavReader.read(u.wav());
        short[] padded = new short[leadSamples + pcm.length];
        System.arraycopy(pcm, 0, padded, leadSamples, pcm.length);
        return new Clip(u.text(), new LogMelExtractor().extract(padded));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + u.wav(), e);
      }
    }).toList();
  }

  /** Trains on featurized clips; {@code test} may be empty (no test figures then). */
  public static TaskResult train(List<Clip> train, List<Clip> dev, List<Clip> test,
      TrainingOptions o, TrainingListener listener) {
    return train(train, dev, test, List.of(), o, listener);
  }

  /**
   * Trains on featurized clips; {@code test} may be empty (no test figures then), and so may
   * {@code devLead} (dev with leading silence, reported as {@code dev_cer_lead03}).
   */
  static TaskResult train(List<Clip> train, List<Clip> dev, List<Clip> test, List<Clip> devLead,
      TrainingOptions o, TrainingListener listener) {
    long start = System.nanoTime();
    TrainingListener l = listener == null ? TrainingListener.NONE : listener;
    SilencePad pad = o.augment() ? new SilencePad(train) : null;
    train = trimmed(train);
    int d = train.get(0).frames()[0].length;
    // per-band mean and standard deviation of the training frames
    double[] mu = new double[d];
    double[] sd = new double[d];
    long frames = 0;
    for (Clip c : train) {
      for (float[] f : c.frames()) {
        for (int j = 0; j < d; j++) {
          mu[j] += f[j];
          sd[j] += (double) f[j] * f[j];
        }
        frames++;
      }
    }
    for (int j = 0; j < d; j++) {
      mu[j] /= frames;
      sd[j] = Math.sqrt(Math.max(sd[j] / frames - mu[j] * mu[j], 1e-6));
    }
    List<double[][]> normalised = new ArrayList<>(train.size());
    List<int[]> targets = new ArrayList<>(train.size());
    for (Clip c : train) {
      normalised.add(pad == null ? normalise(c.frames(), mu, sd) : null);
      targets.add(labelsOf(c.text()));
    }
    boolean augment = o.augment();
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, d, o.hiddenSize())
        .numLayers(o.numLayers())
        .head(LABELS.size(), Activation.IDENTITY)
        .build();
    TrainableModel model = o.initFrom() == null
        ? TrainableModel.fromInit(spec, o.seed()).setForgetGateBias(1.0)
        : initial(spec, o.initFrom(), mu, sd);
    l.message(String.format("captions: %d train clips (%d frames, %.1f min) / %d dev%s,"
        + " LSTM D=%d H=%d%s, %d classes, %d parameters", train.size(), frames, frames / 6000.0,
        dev.size(), test.isEmpty() ? "" : " / " + test.size() + " test", d, o.hiddenSize(),
        o.numLayers() == 1 ? "" : " x " + o.numLayers() + " layers", LABELS.size(),
        model.size()));
    // selection on the mean of plain and lead dev CER needs the lead clips; without, on plain
    boolean onMean = o.selectOnLead() && !devLead.isEmpty();
    FitLoop loop = new FitLoop(NAME, onMean ? "dev_cer_mean" : "dev_cer", false, o, l);
    FitLoop.Outcome out = loop.run(model,
        epoch -> {
          SplittableRandom rnd = new SplittableRandom(Tasks.epochSeed(o.seed(), epoch));
          List<Example> xs = new ArrayList<>(normalised.size());
          for (int i = 0; i < normalised.size(); i++) {
            if (augment) {
              SilencePad.Padded p = pad.apply(i, rnd);
              Augment.Result a = Augment.apply(normalise(p.frames(), mu, sd), p.lead(), sd, rnd);
              xs.add(Example.of(a.frames(),
                  ctcLoss(labelsOf(p.text()), o.blankLead() ? a.lead() : 0)));
            } else {
              xs.add(Example.of(normalised.get(i), ctcLoss(targets.get(i))));
            }
          }
          return xs;
        },
        (m, metrics) -> serve(m, metrics, mu, sd),
        served -> devEval(served, dev, devLead, onMean, l));
    RnnModel best = serve(out.best(), Map.of(), mu, sd);
    Map<String, Double> metrics = new LinkedHashMap<>();
    if (!test.isEmpty()) {
      FitLoop.Eval te = evaluate(best, test);
      metrics.put("test_cer", Tasks.round(te.metric(), 4));
      metrics.put("test_loss", Tasks.round(te.loss(), 4));
      metrics.put("test_utterances", (double) test.size());
    }
    double devCer = onMean ? evaluate(best, dev).metric() : out.bestEval().metric();
    metrics.put("dev_cer", Tasks.round(devCer, 4));
    double devLeadCer = devLead.isEmpty() ? Double.NaN : evaluate(best, devLead).metric();
    if (!devLead.isEmpty()) {
      metrics.put("dev_cer_lead03", Tasks.round(devLeadCer, 4));
    }
    metrics.put("train_utterances", (double) train.size());
    metrics.put("train_frames", (double) frames);
    metrics.put("seed", (double) o.seed());
    double wall = (System.nanoTime() - start) / 1e9;
    metrics.putAll(Tasks.runMetrics(out, model, wall));
    l.message(String.format("captions: %sdev CER %.4f%s, best epoch %d",
        test.isEmpty() ? "" : "test CER " + metrics.get("test_cer") + " (greedy, unseen voices), ",
        devCer,
        devLead.isEmpty() ? "" : String.format(" (%.4f with 0.3 s of leading silence)", devLeadCer),
        out.bestEpoch()));
    return new TaskResult(Tasks.withMetrics(best, metrics), metrics, out.history(),
        out.bestEpoch(), wall);
  }

  /**
   * The dev evaluation of an epoch: plain dev, and (when given) dev with leading silence, logged;
   * the metric is the plain CER, or the mean of both with {@code selectOnLead}.
   */
  private static FitLoop.Eval devEval(RnnModel served, List<Clip> dev, List<Clip> devLead,
      boolean selectOnLead, TrainingListener l) {
    FitLoop.Eval plain = evaluate(served, dev);
    if (devLead.isEmpty()) {
      return plain;
    }
    FitLoop.Eval lead = evaluate(served, devLead);
    l.message(String.format(Locale.ROOT, "  dev CER %.4f, %.4f with 0.3 s of leading silence",
        plain.metric(), lead.metric()));
    return selectOnLead
        ? new FitLoop.Eval(plain.loss(), (plain.metric() + lead.metric()) / 2) : plain;
  }

  /**
   * The trainable weights of the caption snapshot at {@code path}, to fine-tune: the inverse of
   * {@link #serve} (the normalisation by {@code mu}, {@code sd} taken out of the first layer
   * again, logits head), so that the served function is unchanged.
   *
   * @throws IllegalArgumentException if the file cannot be read or its architecture is not
   *     {@code spec}'s
   */
  static TrainableModel initial(ModelSpec spec, Path path, double[] mu, double[] sd) {
    RnnModel served;
    try {
      served = SnapshotFormat.read(path);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the initial model " + path + ": "
          + e.getMessage(), e);
    }
    ModelSpec s = served.spec().head() == null ? served.spec()
        : Serving.withHeadActivation(served, Activation.IDENTITY).spec();
    if (!s.equals(spec) || !served.info().labels().equals(LABELS)) {
      throw new IllegalArgumentException("initial model " + path + " is " + s.cell() + " D="
          + s.inputSize() + " H=" + s.hiddenSize() + " x " + s.numLayers() + " layers with "
          + served.info().labels().size() + " labels; this training builds " + spec.cell()
          + " D=" + spec.inputSize() + " H=" + spec.hiddenSize() + " x " + spec.numLayers()
          + " layers with the " + LABELS.size() + " caption labels (set --hidden and --layers"
          + " to the model's)");
    }
    return unserve(served, mu, sd);
  }

  /** The inverse of {@link #serve}: trainable weights on normalised features, logits head. */
  static TrainableModel unserve(RnnModel served, double[] mu, double[] sd) {
    TrainableModel m = TrainableModel.fromModel(
        Serving.withHeadActivation(served, Activation.IDENTITY));
    int d = mu.length;
    double[] w = m.param(TensorNames.rnn("weight_ih", 0, false));
    double[] b = m.param(TensorNames.rnn("bias_ih", 0, false));
    int rows = w.length / d;
    for (int r = 0; r < rows; r++) {
      double shift = 0;
      for (int c = 0; c < d; c++) {
        shift += w[r * d + c] * mu[c];
        w[r * d + c] *= sd[c];
      }
      b[r] += shift;
    }
    return m;
  }

  private static double[][] normalise(float[][] frames, double[] mu, double[] sd) {
    int d = mu.length;
    double[][] x = new double[frames.length][d];
    for (int t = 0; t < x.length; t++) {
      for (int j = 0; j < d; j++) {
        x[t][j] = (frames[t][j] - mu[j]) / sd[j];
      }
    }
    return x;
  }

  /**
   * Training clips without their trailing silence beyond {@value #SILENCE_MARGIN} frames (espeak-ng
   * ends every utterance with about a quarter of its length in silence): a frame is silent when
   * its loudest band is below {@value #SILENCE_LEVEL} (ln power; digital silence is the floor,
   * -15.9). Saves about 20% of the training time; the margin still teaches the model that
   * silence is blank.
   */
  static List<Clip> trimmed(List<Clip> clips) {
    List<Clip> out = new ArrayList<>(clips.size());
    for (Clip c : clips) {
      float[][] f = c.frames();
      int last = f.length - 1;
      while (last > 0 && max(f[last]) < SILENCE_LEVEL) {
        last--;
      }
      int keep = Math.min(f.length, last + 1 + SILENCE_MARGIN);
      out.add(keep == f.length ? c : new Clip(c.text(), java.util.Arrays.copyOf(f, keep)));
    }
    return out;
  }

  private static float max(float[] v) {
    float m = Float.NEGATIVE_INFINITY;
    for (float x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  /** CTC on logits (identity head): loss and dL/dlogits, divided by the transcript length. */
  static OutputLoss ctcLoss(int[] labels) {
    return ctcLoss(labels, 0);
  }

  /**
   * The CTC loss of {@code labels} over frames {@code [blankFrames, T)} plus, on the first {@code
   * blankFrames} frames (known to hold no speech: the padding's lead), the cross-entropy of the
   * blank; divided by the transcript length. So no label may be emitted before the speech starts:
   * plain CTC lets a model emit the first characters on the very first frames after a reset, from
   * the prior alone (see {@code TrainingOptions.blankLead}). {@code blankFrames = 0} is plain CTC.
   */
  static OutputLoss ctcLoss(int[] labels, int blankFrames) {
    double w = 1.0 / Math.max(1, labels.length);
    return (y, from, length, dy) -> {
      OutputLoss.requireWholeSequence(y, from, length);
      int b = Math.min(blankFrames, y.length);
      double[][] logp = new double[y.length - b][];
      for (int t = b; t < y.length; t++) {
        logp[t - b] = Losses.logSoftmax(y[t]);
      }
      CtcLoss.Result r = CtcLoss.forwardBackward(logp, labels, 0);
      if (r.impossible()) {
        return 0; // too few frames for the transcript: no gradient, no loss
      }
      double[][] g = r.gradLogits();
      for (int t = b; t < y.length; t++) {
        for (int k = 0; k < g[t - b].length; k++) {
          dy[t][k] = w * g[t - b][k];
        }
      }
      double loss = r.loss();
      for (int t = 0; t < b; t++) { // softmax cross-entropy with the blank (class 0) as target
        double[] lp = Losses.logSoftmax(y[t]);
        loss -= lp[0];
        for (int k = 0; k < lp.length; k++) {
          dy[t][k] = w * (Math.exp(lp[k]) - (k == 0 ? 1 : 0));
        }
      }
      return w * loss;
    };
  }

  /** The served model: normalisation folded into layer 0, softmax head, labels. */
  static RnnModel serve(TrainableModel m, Map<String, Double> metrics, double[] mu,
      double[] sd) {
    TrainableModel folded = m.copy();
    int d = mu.length;
    double[] w = folded.param(TensorNames.rnn("weight_ih", 0, false));
    double[] b = folded.param(TensorNames.rnn("bias_ih", 0, false));
    int rows = w.length / d;
    for (int r = 0; r < rows; r++) {
      double shift = 0;
      for (int c = 0; c < d; c++) {
        w[r * d + c] /= sd[c];
        shift += w[r * d + c] * mu[c];
      }
      b[r] -= shift;
    }
    return Serving.softmaxHead(folded.toModel(Tasks.info(NAME, metrics, List.of(), LABELS)));
  }
}
