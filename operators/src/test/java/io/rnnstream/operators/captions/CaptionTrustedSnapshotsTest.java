package io.rnnstream.operators.captions;

import static io.rnnstream.operators.captions.CaptionTestModels.bursts;
import static io.rnnstream.operators.captions.CaptionTestModels.chunks;
import static io.rnnstream.operators.captions.CaptionTestModels.le;
import static io.rnnstream.operators.captions.CaptionTestModels.model;
import static org.assertj.core.api.Assertions.assertThat;

import io.rnnstream.models.model.RnnModel;
import io.rnnstream.models.signing.ModelSigner;
import io.rnnstream.models.signing.PemKeys;
import io.rnnstream.operators.api.ModelUpdate;
import io.rnnstream.operators.testutils.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The caption operator with trusted keys: the same registry check as inference. A signed caption
 * model serves; an unsigned one is refused before it is looked at as a caption model, a dead
 * letter carrying its record, and captions go on with the signed version.
 */
class CaptionTrustedSnapshotsTest {
  static final Path KEYS = Path.of("../models/src/test/resources/signing");
  static final byte[] PCM = le(bursts(3.0, 2.0, 1));

  static ModelUpdate update(RnnModel m, String signer) throws Exception {
    ModelUpdate u = TestModels.update(m);
    if (signer != null) {
      u.signature = new ModelSigner(PemKeys.readKeyPair(KEYS.resolve(signer + ".key.pem")))
          .sign(u.snapshot, m.info().name());
    }
    u.recordKey = m.info().name().getBytes(StandardCharsets.UTF_8);
    u.recordValue = ("record of v" + m.info().version()).getBytes(StandardCharsets.UTF_8);
    return u;
  }

  @Test
  void shouldServeOnlySignedCaptionModels() throws Exception {
    Captioning config = Captioning.builder().model("captions")
        .trustedKeys(Files.readString(KEYS.resolve("alice.pub.pem"))).build();
    try (CaptionHarness h = CaptionHarness.open(config)) {
      h.model(update(model("captions", 1, 3), "alice"));
      ModelUpdate unsigned = update(model("captions", 2, 4), null);
      h.model(unsigned);
      h.pcm("s", 0, chunks(PCM, 3200), true);
      assertThat(h.captions()).isNotEmpty()
          .allSatisfy(c -> assertThat(c.modelVersion).isEqualTo(1));
      assertThat(h.deadLetters()).singleElement().satisfies(d -> {
        assertThat(d.reason).contains("untrusted snapshot: 'captions' v2 is not signed");
        assertThat(d.payload).isEqualTo(unsigned.recordValue);
        assertThat(d.recordKey).isEqualTo(unsigned.recordKey);
      });
      assertThat(h.metrics().modelsRejected.getCount()).isEqualTo(1);
    }
  }
}
