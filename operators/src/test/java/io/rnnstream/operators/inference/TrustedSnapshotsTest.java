package io.rnnstream.operators.inference;

import static io.rnnstream.operators.testutils.TestModels.flat;
import static io.rnnstream.operators.testutils.TestModels.inputs;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.kernels.Activation;
import io.rnnstream.models.model.CellType;
import io.rnnstream.models.model.ModelSpec;
import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.signing.ModelSigner;
import io.rnnstream.models.signing.PemKeys;
import io.rnnstream.operators.api.InferenceConfig;
import io.rnnstream.operators.api.Mode;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.api.RnnEvent;
import io.rnnstream.operators.api.RnnInference;
import io.rnnstream.operators.api.TrustedKeys;
import io.rnnstream.operators.testutils.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.junit.jupiter.api.Test;

/**
 * The operator with trusted keys: signed snapshots are served; unsigned ones and those of other
 * keys are refused (a dead letter carrying the record they came in, byte for byte, and
 * {@code modelsRejected}) while the serving version goes on; after a restore, the versions in the
 * state are verified again.
 */
class TrustedSnapshotsTest {
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  static final ModelSpec SPEC = ModelSpec.builder(CellType.LSTM, 3, 5)
      .head(2, Activation.SOFTMAX).build();
  final float[][] xs = inputs(4, 3);

  static InferenceConfig config(TrustedKeys keys) {
    return RnnInference.builder().mode(Mode.MANY_TO_MANY).defaultModel("m").trustedKeys(keys)
        .build().config();
  }

  static TrustedKeys trust(String who) throws Exception {
    return TrustedKeys.of(PemKeys.readPublicKey(KEYS.resolve(who + ".pub.pem")));
  }

  static ModelUpdate update(RnnModel m, String signer, long offset) throws Exception {
    ModelUpdate u = TestModels.update(m);
    if (signer != null) {
      u.signature = new ModelSigner(PemKeys.readKeyPair(KEYS.resolve(signer + ".key.pem")))
          .sign(u.snapshot, m.info().name());
    }
    u.source = "model-snapshots/0/" + offset;
    u.recordKey = m.info().name().getBytes(StandardCharsets.UTF_8);
    u.recordValue = ("record at " + offset).getBytes(StandardCharsets.UTF_8);
    return u;
  }

  RnnEvent step(int t) {
    return RnnEvent.dense("k", t, flat(xs, t, t + 1));
  }

  @Test
  void shouldServeASignedVersionAndRefuseUnsignedOrForeignOnesWithTheirRecords()
      throws Exception {
    RnnModel v2 = TestModels.model(SPEC, "m", 2, 2);
    try (Harness h = Harness.open(config(trust("alice")))) {
      h.model(update(v2, "alice", 0));
      h.event(step(0));
      ModelUpdate v3 = update(TestModels.model(SPEC, "m", 3, 3), null, 1);
      ModelUpdate v4 = update(TestModels.model(SPEC, "m", 4, 4), "bob", 2);
      h.model(v3);
      h.model(v4);
      h.event(step(1));

      assertThat(h.outputs()).extracting(o -> o.modelVersion).containsExactly(2L, 2L);
      assertThat(h.outputs().get(1).y)
          .containsExactly(v2.forward(new float[][] {xs[0], xs[1]})[1]);
      assertThat(h.deadLetters()).satisfiesExactly(
          d -> {
            assertThat(d.kind).isEqualTo("snapshot");
            assertThat(d.source).isEqualTo("model-snapshots/0/1");
            assertThat(d.reason).contains("'m' v3 is not signed");
            assertThat(d.payload).isEqualTo(v3.recordValue);
            assertThat(d.recordKey).isEqualTo(v3.recordKey);
          },
          d -> {
            assertThat(d.reason).contains("signature of 'm' v4 does not verify: unknown key");
            assertThat(d.payload).isEqualTo(v4.recordValue);
            assertThat(d.recordKey).isEqualTo(v4.recordKey);
          });
      assertThat(h.metrics().modelsRejected.getCount()).isEqualTo(2);
      assertThat(h.metrics().modelsAccepted.getCount()).isEqualTo(1);
    }
  }

  @Test
  void shouldVerifyTheVersionsOfARestoredStateAgain() throws Exception {
    RnnModel v1 = TestModels.model(SPEC, "m", 1, 1);
    OperatorSubtaskState snapshot;
    try (Harness h = Harness.open(config(TrustedKeys.NONE))) {
      h.model(update(v1, "alice", 0));
      snapshot = h.snapshot(1);
    }
    try (Harness h = Harness.restore(config(trust("alice")), snapshot)) {
      h.event(step(0));
      assertThat(h.outputs()).extracting(o -> o.modelVersion).containsExactly(1L);
    }
    try (Harness h = Harness.restore(config(trust("bob")), snapshot)) {
      h.time(0);
      h.event(step(0)); // waits: the restored v1 is not signed by a trusted key
      assertThat(h.outputs()).isEmpty();
      assertThat(h.metrics().modelsRejected.getCount()).isEqualTo(1);
      h.model(update(TestModels.model(SPEC, "m", 2, 2), "bob", 1));
      h.time(1000); // the waiting key's retry timer fires
      assertThat(h.outputs()).extracting(o -> o.modelVersion).containsExactly(2L);
    }
  }
}
