package io.rnnstream.training.tasks;

/**
 * Hyper-parameters of a task trainer. Every task has its own defaults ({@code
 * SentimentTask.defaults()} etc., the settings the shipped models were trained with); change a few
 * with {@link #toBuilder()}. Immutable; the builder checks each field as it is set and names it.
 *
 * <p>{@code trainSize} and {@code devSize} limit the data (0 = the task's full data): tests train
 * tiny models on subsets. {@code threads} only changes speed: gradients are computed in a fixed
 * number of shards whose sums are added in a fixed order, so any thread count gives bit-identical
 * weights for the same seed.
 */
public final class TrainingOptions {
  private final int epochs;
  private final int patience;
  private final long seed;
  private final int batchSize;
  private final double learningRate;
  private final int hiddenSize;
  private final int embeddingSize;
  private final int threads;
  private final int trainSize;
  private final int devSize;
  private final double clipNorm;
  private final double weightDecay;
  private final double unkDropout;
  private final boolean augment;
  private final double finalLearningRate;
  private final int numLayers;
  private final int extraTrainSize;
  private final boolean scoreTest;
  private final java.nio.file.Path initFrom;
  private final boolean selectOnLead;
  private final boolean blankLead;

  private TrainingOptions(Builder b) {
    epochs = b.epochs;
    patience = b.patience;
    seed = b.seed;
    batchSize = b.batchSize;
    learningRate = b.learningRate;
    hiddenSize = b.hiddenSize;
    embeddingSize = b.embeddingSize;
    threads = b.threads;
    trainSize = b.trainSize;
    devSize = b.devSize;
    clipNorm = b.clipNorm;
    weightDecay = b.weightDecay;
    unkDropout = b.unkDropout;
    augment = b.augment;
    finalLearningRate = b.finalLearningRate;
    numLayers = b.numLayers;
    extraTrainSize = b.extraTrainSize;
    scoreTest = b.scoreTest;
    initFrom = b.initFrom;
    selectOnLead = b.selectOnLead;
    blankLead = b.blankLead;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.epochs = epochs;
    b.patience = patience;
    b.seed = seed;
    b.batchSize = batchSize;
    b.learningRate = learningRate;
    b.hiddenSize = hiddenSize;
    b.embeddingSize = embeddingSize;
    b.threads = threads;
    b.trainSize = trainSize;
    b.devSize = devSize;
    b.clipNorm = clipNorm;
    b.weightDecay = weightDecay;
    b.unkDropout = unkDropout;
    b.augment = augment;
    b.finalLearningRate = finalLearningRate;
    b.numLayers = numLayers;
    b.extraTrainSize = extraTrainSize;
    b.scoreTest = scoreTest;
    b.initFrom = initFrom;
    b.selectOnLead = selectOnLead;
    b.blankLead = blankLead;
    return b;
  }

  /** Maximum number of epochs. */
  public int epochs() {
    return epochs;
  }

  /** Early stopping: stop after this many epochs without a better dev metric. */
  public int patience() {
    return patience;
  }

  /** Seed of initialisation, shuffling and token dropout. */
  public long seed() {
    return seed;
  }

  public int batchSize() {
    return batchSize;
  }

  /** Adam's learning rate. */
  public double learningRate() {
    return learningRate;
  }

  /** H per layer and direction. */
  public int hiddenSize() {
    return hiddenSize;
  }

  /** Embedding width (token models). */
  public int embeddingSize() {
    return embeddingSize;
  }

  /** Worker threads computing the gradients of a mini-batch (speed only, see class comment). */
  public int threads() {
    return threads;
  }

  /** Training sequences to use; 0 = all of the task's training data. */
  public int trainSize() {
    return trainSize;
  }

  /** Dev sequences to use; 0 = all. */
  public int devSize() {
    return devSize;
  }

  /** Clip the mini-batch gradient to this global L2 norm; 0 disables. */
  public double clipNorm() {
    return clipNorm;
  }

  /** Decoupled (AdamW) weight decay; 0 disables. */
  public double weightDecay() {
    return weightDecay;
  }

  /** Probability that a training token is replaced by {@code <unk>} (token models). */
  public double unkDropout() {
    return unkDropout;
  }

  /** Data augmentation (captions: frequency warp, tempo, gain, masks; see {@code Augment}). */
  public boolean augment() {
    return augment;
  }

  /**
   * Learning-rate schedule: 1 (the default) keeps {@link #learningRate()} constant; below 1, the
   * rate stays constant for the first 40 % of {@link #epochs()} and then falls along a half
   * cosine to {@code learningRate * finalLearningRate} in the last epoch (set once per epoch).
   */
  public double finalLearningRate() {
    return finalLearningRate;
  }

  /** Stacked recurrent layers (captions; 1 = a single layer). */
  public int numLayers() {
    return numLayers;
  }

  /**
   * Captions: utterances taken (in manifest order) from the train-only extra corpus ({@code
   * data/speech/generated/extra}, other voices) in addition to the main corpus's train split; 0 =
   * none.
   */
  public int extraTrainSize() {
    return extraTrainSize;
  }

  /**
   * Whether the trainer scores the test split at the end (true, the default). False for runs
   * that choose a recipe: the test split is then neither read nor scored, and nothing about it
   * is reported.
   */
  public boolean scoreTest() {
    return scoreTest;
  }

  /** The learning rate of epoch {@code epoch} (1-based) under the schedule. */
  /**
   * Captions: the snapshot whose weights training starts from (fine-tuning; null = seeded
   * initialisation). It must have the architecture these options describe.
   */
  public java.nio.file.Path initFrom() {
    return initFrom;
  }

  /**
   * Captions: choose the epoch on the mean of the dev CER without and with 0.3 s of leading
   * silence (the served condition) instead of on the plain dev CER alone (when the trainer is
   * given dev clips with leading silence: always from the corpus, not always in tests).
   */
  public boolean selectOnLead() {
    return selectOnLead;
  }

  /**
   * Captions with augmentation: the frames of the leading silence or noise the trainer puts
   * before an utterance must be the blank (cross-entropy there, CTC from the speech on). Plain
   * CTC lets a model emit an utterance's first characters on the first frames after a reset,
   * before any speech, from the prior alone; such a model loses the first phoneme whenever a
   * pause precedes the speech, which is how the caption operator hears every utterance after an
   * endpoint.
   */
  public boolean blankLead() {
    return blankLead;
  }

  public double learningRateAt(int epoch) {
    if (finalLearningRate >= 1 || epochs <= 1) {
      return learningRate;
    }
    int hold = (int) Math.ceil(0.4 * epochs);
    if (epoch <= hold) {
      return learningRate;
    }
    double progress = Math.min(1.0, (double) (epoch - hold) / Math.max(1, epochs - hold));
    double f = finalLearningRate + (1 - finalLearningRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
    return learningRate * f;
  }

  @Override
  public String toString() {
    return "epochs=" + epochs + " patience=" + patience + " seed=" + seed + " batch=" + batchSize
        + " lr=" + learningRate + " hidden=" + hiddenSize + " embedding=" + embeddingSize
        + " threads=" + threads + " trainSize=" + trainSize + " devSize=" + devSize
        + " clipNorm=" + clipNorm + " weightDecay=" + weightDecay + " unkDropout=" + unkDropout + " augment=" + augment
        + (finalLearningRate < 1 ? " finalLearningRate=" + finalLearningRate : "")
        + (numLayers != 1 ? " layers=" + numLayers : "")
        + (extraTrainSize > 0 ? " extraTrainSize=" + extraTrainSize : "")
        + (scoreTest ? "" : " test=skipped")
        + (initFrom == null ? "" : " init=" + initFrom)
        + (selectOnLead ? " select=plain+lead" : "")
        + (blankLead ? " blankLead=true" : "");
  }

  /** Mutable builder; each setter checks its field. */
  public static final class Builder {
    private int epochs = 10;
    private int patience = 3;
    private long seed = 1;
    private int batchSize = 16;
    private double learningRate = 0.005;
    private int hiddenSize = 64;
    private int embeddingSize = 32;
    private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    private int trainSize;
    private int devSize;
    private double clipNorm = 5;
    private double weightDecay;
    private double unkDropout;
    private boolean augment;
    private double finalLearningRate = 1;
    private int numLayers = 1;
    private int extraTrainSize;
    private java.nio.file.Path initFrom;
    private boolean selectOnLead;
    private boolean blankLead;
    private boolean scoreTest = true;

    private Builder() {}

    public Builder epochs(int v) {
      epochs = atLeast("epochs", v, 1);
      return this;
    }

    public Builder patience(int v) {
      patience = atLeast("patience", v, 0);
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public Builder batchSize(int v) {
      batchSize = atLeast("batchSize", v, 1);
      return this;
    }

    public Builder learningRate(double v) {
      if (!(v > 0 && Double.isFinite(v))) {
        throw new IllegalArgumentException("learningRate must be > 0, got " + v);
      }
      learningRate = v;
      return this;
    }

    public Builder hiddenSize(int v) {
      hiddenSize = atLeast("hiddenSize", v, 1);
      return this;
    }

    public Builder embeddingSize(int v) {
      embeddingSize = atLeast("embeddingSize", v, 1);
      return this;
    }

    public Builder threads(int v) {
      threads = atLeast("threads", v, 1);
      return this;
    }

    public Builder trainSize(int v) {
      trainSize = atLeast("trainSize", v, 0);
      return this;
    }

    public Builder devSize(int v) {
      devSize = atLeast("devSize", v, 0);
      return this;
    }

    public Builder clipNorm(double v) {
      if (!(v >= 0 && Double.isFinite(v))) {
        throw new IllegalArgumentException("clipNorm must be >= 0, got " + v);
      }
      clipNorm = v;
      return this;
    }

    public Builder weightDecay(double v) {
      if (!(v >= 0 && Double.isFinite(v))) {
        throw new IllegalArgumentException("weightDecay must be >= 0, got " + v);
      }
      weightDecay = v;
      return this;
    }

    public Builder unkDropout(double v) {
      if (!(v >= 0 && v < 1)) {
        throw new IllegalArgumentException("unkDropout must be in [0, 1), got " + v);
      }
      unkDropout = v;
      return this;
    }

    public Builder augment(boolean v) {
      augment = v;
      return this;
    }

    public Builder finalLearningRate(double v) {
      if (!(v > 0 && v <= 1)) {
        throw new IllegalArgumentException("finalLearningRate must be in (0, 1], got " + v);
      }
      finalLearningRate = v;
      return this;
    }

    public Builder numLayers(int v) {
      numLayers = atLeast("numLayers", v, 1);
      return this;
    }

    public Builder extraTrainSize(int v) {
      extraTrainSize = atLeast("extraTrainSize", v, 0);
      return this;
    }

    public Builder scoreTest(boolean v) {
      scoreTest = v;
      return this;
    }

    /** Start from this snapshot's weights (captions; null = seeded initialisation). */
    public Builder initFrom(java.nio.file.Path v) {
      initFrom = v;
      return this;
    }

    /** Choose the epoch on the mean of plain and 0.3 s-lead dev CER (captions). */
    public Builder selectOnLead(boolean v) {
      selectOnLead = v;
      return this;
    }

    /** Leading padding frames must be the blank (captions; see {@link #blankLead()}). */
    public Builder blankLead(boolean v) {
      blankLead = v;
      return this;
    }

    public TrainingOptions build() {
      return new TrainingOptions(this);
    }

    private static int atLeast(String field, int v, int min) {
      if (v < min) {
        throw new IllegalArgumentException(field + " must be >= " + min + ", got " + v);
      }
      return v;
    }
  }
}
