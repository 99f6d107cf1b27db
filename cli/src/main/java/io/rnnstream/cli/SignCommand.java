package io.rnnstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.signing.ModelSigner;
import io.rnnstream.models.snapshot.SnapshotFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sign --model M --key K.pem [--out S]}: signs a snapshot file with an EC private key
 * (PEM, PKCS#8 or SEC1, P-256/P-384/P-521) and writes the signature as an OpenSSF model signing
 * bundle (Sigstore bundle JSON, {@code M.sig} by default). The snapshot is validated first, so a
 * damaged file is never signed. Prints one JSON line {@code {"signature", "keyId"}}.
 */
@Command(
    name = "sign",
    description = "Sign a model snapshot with an EC private key (PEM): writes an OpenSSF model"
        + " signing bundle (Sigstore bundle JSON) for the verify command.")
final class SignCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "M", description = "model snapshot")
  Path model;

  @Option(names = "--key", required = true, paramLabel = "K.pem",
      description = "EC private key, PEM (PKCS#8 or SEC1; P-256, P-384 or P-521)")
  Path key;

  @Option(names = "--out", paramLabel = "S", description = "signature to write (default M.sig)")
  Path out;

  @Override
  public Integer call() throws Exception {
    byte[] bytes = Files.readAllBytes(model);
    SnapshotFormat.fromBytes(bytes, model.toString()); // validates the file
    ModelSigner signer = ModelSigner.fromPem(key);
    Path signature = out != null ? out : Path.of(model + ".sig");
    Files.write(signature, signer.sign(bytes, model.getFileName().toString()));
    ObjectNode o = TextLines.JSON.createObjectNode();
    o.put("signature", signature.toString());
    o.put("keyId", signer.keyId());
    System.out.println(o);
    return 0;
  }
}
