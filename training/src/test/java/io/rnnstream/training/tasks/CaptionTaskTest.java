package io.rnnstream.training.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rnnstream.models.ctc.CtcAlphabet;
import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.model.TensorNames;
import io.rnnstream.models.snapshot.SnapshotFormat;
import io.rnnstream.training.Losses;
import io.rnnstream.training.SequenceTape;
import io.rnnstream.training.TrainableModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class CaptionTaskTest {
  static final Path AUDIO = Path.of("../models/src/test/resources/io/rnnstream/models/audio");

  /** The three committed example WAVs with their transcripts. */
  static List<CaptionTask.Clip> exampleClips() throws Exception {
    List<CaptionTask.Clip> clips = new ArrayList<>();
    clips.add(new CaptionTask.Clip("four two seven",
        CaptionTask.features(AUDIO.resolve("four_two_seven.wav"))));
    clips.add(new CaptionTask.Clip("stop", CaptionTask.features(AUDIO.resolve("stop.wav"))));
    clips.add(new CaptionTask.Clip("open the door",
        CaptionTask.features(AUDIO.resolve("open_the_door.wav"))));
    return clips;
  }

  @Test
  void shouldCountCharacterErrors() {
    assertThat(CaptionTask.editDistance("kitten", "sitting")).isEqualTo(3);
    assertThat(CaptionTask.editDistance("", "abc")).isEqualTo(3);
    assertThat(CaptionTask.cer(List.of("four two", "stop"), List.of("for two", "stop")))
        .isEqualTo(1.0 / 12);
    assertThat(CaptionTask.cer(List.of("abc"), List.of(""))).isEqualTo(1.0);
  }

  @Test
  void shouldMapTranscriptsToClassesAfterTheBlank() {
    assertThat(CaptionTask.labelsOf("a z")).containsExactly(2, 1, 27);
    assertThat(CaptionTask.LABELS).hasSize(28).startsWith("<blank>", " ", "a");
    assertThatThrownBy(() -> CaptionTask.labelsOf("4"))
        .hasMessageContaining("not in the caption alphabet");
  }

  @Test
  void shouldFoldTheFeatureNormalisationIntoTheServedModel() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 5, 6)
        .head(CaptionTask.LABELS.size(), Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 7);
    double[] mu = {-3, 0.5, 2, 10, -1};
    double[] sd = {2, 0.25, 1, 4, 3};
    RnnModel served = CaptionTask.serve(m, Map.of(), mu, sd);

    SplittableRandom rnd = new SplittableRandom(3);
    float[][] raw = new float[9][5];
    double[][] normalised = new double[9][5];
    for (int t = 0; t < raw.length; t++) {
      for (int j = 0; j < 5; j++) {
        raw[t][j] = (float) (mu[j] + sd[j] * rnd.nextGaussian());
        normalised[t][j] = (raw[t][j] - mu[j]) / sd[j];
      }
    }
    double[][] logits = SequenceTape.forward(m, normalised).outputs();
    float[][] p = served.forward(raw);
    for (int t = 0; t < raw.length; t++) {
      double[] lp = Losses.logSoftmax(logits[t]);
      for (int k = 0; k < lp.length; k++) {
        assertThat(Math.log(p[t][k])).isCloseTo(lp[k], org.assertj.core.data.Offset.offset(1e-4));
      }
    }
    CtcAlphabet a = io.rnnstream.models.captions.CaptionStream.alphabetOf(served);
    assertThat(a.labels()).isEqualTo(CaptionTask.ALPHABET);
    assertThat(a.blank()).isZero();
  }

  @Test
  @Timeout(60)
  void shouldLearnTheCommittedExamplesWithCtc() throws Exception {
    List<CaptionTask.Clip> clips = exampleClips();
    TrainingOptions o = CaptionTask.defaults().toBuilder()
        .epochs(120).patience(120).batchSize(1).hiddenSize(48).learningRate(0.02).augment(false)
        .build();
    TaskResult r = CaptionTask.train(clips, clips, List.of(), o, null);
    // emitting nothing (what an untrained CTC model does) is a CER of 1
    assertThat(r.metrics().get("dev_cer")).isLessThan(0.4);
    assertThat(CaptionTask.transcribe(r.model(), clips.get(1).frames())).isNotNull();
  }

  private static io.rnnstream.training.data.SpeechManifest.Utterance utterance(String voice,
      io.rnnstream.training.data.Split split) {
    return new io.rnnstream.training.data.SpeechManifest.Utterance(AUDIO.resolve("stop.wav"),
        "stop", voice, 170, 50, split);
  }

  @Test
  void shouldKeepDevAndTestVoicesOutOfTraining() {
    var dev = io.rnnstream.training.data.Split.DEV;
    var train = io.rnnstream.training.data.Split.TRAIN;
    List<io.rnnstream.training.data.SpeechManifest.Utterance> heldOut =
        List.of(utterance("en-gb-x-gbcwmd+m2", dev), utterance("en-us-nyc+f3", dev));
    CaptionTask.checkVoicesDisjoint(List.of(utterance("en-us+m3", train),
        utterance("en-gb", train), utterance("en+aunty", train),
        utterance("en-029+Storm", train)), heldOut);
    assertThatThrownBy(() -> CaptionTask.checkVoicesDisjoint(
        List.of(utterance("en-us+M2", train)), heldOut)).hasMessageContaining("en-us+M2");
    assertThatThrownBy(() -> CaptionTask.checkVoicesDisjoint(
        List.of(utterance("en-us-nyc+klatt", train)), heldOut))
        .hasMessageContaining("language voice or variant");
    assertThat(CaptionTask.language("en+aunty")).isEqualTo("en-gb");
    assertThat(CaptionTask.language("en-GB-x-rp")).isEqualTo("en-gb-x-rp");
    assertThat(CaptionTask.variant("en-us")).isEmpty();
    assertThat(CaptionTask.variant("en-us+Storm")).isEqualTo("storm");
  }

  @Test
  void shouldPutLeadingSilenceBeforeTheServedConditionsUtterances() throws Exception {
    var u = utterance("en-gb-x-gbcwmd+m2", io.rnnstream.training.data.Split.DEV);
    float[][] plain = CaptionTask.featurize(List.of(u)).get(0).frames();
    float[][] lead = CaptionTask.featurize(List.of(u), CaptionTask.SERVED_LEAD_SAMPLES).get(0)
        .frames();
    assertThat(lead.length).isEqualTo(plain.length + 30);
    assertThat(lead[lead.length - 1]).containsExactly(plain[plain.length - 1]);
    assertThat(lead[0]).containsExactly(lead[10]); // digital silence: the extractor's floor
  }

  @Test
  void optionsShouldDefaultToOneLayerNoExtraDataAndScoringTest() {
    TrainingOptions o = TrainingOptions.builder().build();
    assertThat(o.numLayers()).isEqualTo(1);
    assertThat(o.extraTrainSize()).isZero();
    assertThat(o.scoreTest()).isTrue();
    assertThat(o.toString()).doesNotContain("layers").doesNotContain("extra")
        .doesNotContain("test");
    TrainingOptions p = o.toBuilder().numLayers(2).extraTrainSize(5).scoreTest(false).build();
    assertThat(p.toBuilder().build().toString()).isEqualTo(p.toString())
        .contains("layers=2 extraTrainSize=5 test=skipped");
    assertThatThrownBy(() -> TrainingOptions.builder().numLayers(0))
        .hasMessageContaining("numLayers");
    assertThatThrownBy(() -> TrainingOptions.builder().extraTrainSize(-1))
        .hasMessageContaining("extraTrainSize");
  }

  @Test
  void shouldFindTheExtraCorpusNextToTheMainManifest() {
    assertThat(CaptionTask.extraManifest(Path.of("/d/speech/generated/manifest.jsonl")))
        .isEqualTo(Path.of("/d/speech/generated/extra/manifest.jsonl"));
  }

  @Test
  @Timeout(60)
  void shouldTrainAStackedModelTheCaptionStreamAccepts() throws Exception {
    List<CaptionTask.Clip> clips = exampleClips();
    TrainingOptions o = CaptionTask.defaults().toBuilder()
        .epochs(2).patience(2).batchSize(1).hiddenSize(16).numLayers(2).augment(true).build();
    TaskResult r = CaptionTask.train(clips, clips.subList(0, 1), List.of(), clips.subList(0, 1),
        o, null);
    assertThat(r.model().spec().numLayers()).isEqualTo(2);
    assertThat(r.metrics()).containsKeys("dev_cer", "dev_cer_lead03")
        .doesNotContainKeys("test_cer");
    io.rnnstream.models.captions.CaptionStream.check(r.model(), io.rnnstream.models.captions.CaptionStream.alphabetOf(r.model()));
  }

  @Test
  void shouldTakeTheNormalisationOutOfAServedModelAgain() {
    ModelSpec spec = ModelSpec.builder(CellType.LSTM, 5, 6).numLayers(2)
        .head(CaptionTask.LABELS.size(), Activation.IDENTITY).build();
    TrainableModel m = TrainableModel.fromInit(spec, 7);
    double[] mu = {-3, 0.5, 2, 10, -1};
    double[] sd = {2, 0.25, 1, 4, 3};
    RnnModel served = CaptionTask.serve(m, Map.of(), mu, sd);

    TrainableModel back = CaptionTask.unserve(served, mu, sd);
    assertThat(back.spec()).isEqualTo(spec);
    for (String name : List.of(TensorNames.rnn("weight_ih", 0, false),
        TensorNames.rnn("bias_ih", 0, false), TensorNames.rnn("weight_hh", 1, false))) {
      double[] want = m.param(name);
      double[] got = back.param(name);
      for (int i = 0; i < want.length; i++) { // float32 storage in between: relative 1e-6
        assertThat(got[i]).as(name + "[" + i + "]")
            .isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5 * (1 + Math.abs(want[i]))));
      }
    }
  }

  @Test
  @Timeout(60)
  void shouldFineTuneFromACaptionSnapshot(@TempDir Path dir) throws Exception {
    List<CaptionTask.Clip> clips = exampleClips();
    TrainingOptions fresh = CaptionTask.defaults().toBuilder()
        .epochs(3).patience(3).batchSize(1).hiddenSize(16).learningRate(0.02).augment(false)
        .build();
    TaskResult first = CaptionTask.train(clips, clips, List.of(), fresh, null);
    Path file = dir.resolve("first.rnn");
    SnapshotFormat.write(first.model(), file);

    // a learning rate of 1e-12 leaves the weights where they start: the served function of the
    // snapshot, so the same transcripts and dev CER
    TrainingOptions still = fresh.toBuilder().epochs(1).learningRate(1e-12).initFrom(file).build();
    TaskResult again = CaptionTask.train(clips, clips, List.of(), still, null);
    assertThat(again.metrics().get("dev_cer")).isEqualTo(first.metrics().get("dev_cer"));
    for (CaptionTask.Clip c : clips) {
      assertThat(CaptionTask.transcribe(again.model(), c.frames()))
          .isEqualTo(CaptionTask.transcribe(first.model(), c.frames()));
    }

    TrainingOptions wider = still.toBuilder().hiddenSize(24).build();
    assertThatThrownBy(() -> CaptionTask.train(clips, clips, List.of(), wider, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("H=16").hasMessageContaining("H=24");
    TrainingOptions missing = still.toBuilder().initFrom(dir.resolve("none.rnn")).build();
    assertThatThrownBy(() -> CaptionTask.train(clips, clips, List.of(), missing, null))
        .hasMessageContaining("none.rnn");
  }

  @Test
  @Timeout(60)
  void shouldSelectOnTheMeanOfPlainAndLeadDevCerWhenAsked() throws Exception {
    List<CaptionTask.Clip> clips = exampleClips();
    TrainingOptions o = CaptionTask.defaults().toBuilder()
        .epochs(2).patience(2).batchSize(1).hiddenSize(16).augment(false).selectOnLead(true)
        .build();
    List<String> messages = new ArrayList<>();
    TrainingListener l = new TrainingListener() {
      @Override
      public void message(String text) {
        messages.add(text);
      }
    };
    List<CaptionTask.Clip> lead = new ArrayList<>();
    float[] silence = new io.rnnstream.models.audio.LogMelExtractor().extract(new short[1600])[5];
    for (CaptionTask.Clip c : clips) {
      float[][] f = new float[30 + c.frames().length][];
      java.util.Arrays.fill(f, 0, 30, silence);
      System.arraycopy(c.frames(), 0, f, 30, c.frames().length);
      lead.add(new CaptionTask.Clip(c.text(), f));
    }
    TaskResult r = CaptionTask.train(clips, clips, List.of(), lead, o, l);
    List<String> perEpoch = messages.stream().filter(m -> m.startsWith("  dev CER")).toList();
    assertThat(perEpoch).hasSize(2);
    for (int e = 0; e < 2; e++) { // "  dev CER P, L with 0.3 s of leading silence"
      String[] w = perEpoch.get(e).trim().split("[ ,]+");
      double mean = (Double.parseDouble(w[2]) + Double.parseDouble(w[3])) / 2;
      assertThat(r.history().get(e).devMetric())
          .isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-4));
    }
    double plainAtBest = Double.parseDouble(perEpoch.get(r.bestEpoch() - 1).trim().split("[ ,]+")[2]);
    assertThat(r.metrics().get("dev_cer")).isCloseTo(plainAtBest,
        org.assertj.core.data.Offset.offset(1e-4));
    // without lead clips the selection is on the plain dev CER
    TaskResult plain = CaptionTask.train(clips, clips, List.of(), o, null);
    assertThat(plain.history().get(plain.bestEpoch() - 1).devMetric())
        .isEqualTo(plain.metrics().get("dev_cer"), org.assertj.core.data.Offset.offset(1e-4));
  }
}
