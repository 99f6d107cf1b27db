package io.rnnstream.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rnnstream.models.signing.ModelVerifier;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code verify --model M --trusted-keys P.pem[,P2.pem] [--signature S]}: checks that the
 * signature ({@code M.sig} by default) was made over exactly these bytes by one of the trusted
 * public keys. Prints {@code {"verified": true, "keyId"}} (the key that signed) and exits 0;
 * otherwise prints nothing on stdout, the reason on stderr, and exits 1.
 */
@Command(
    name = "verify",
    description = "Verify a model snapshot's signature (OpenSSF model signing bundle) against"
        + " trusted EC public keys.")
final class VerifyCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, paramLabel = "M", description = "model snapshot")
  Path model;

  @Option(names = "--trusted-keys", required = true, split = ",", paramLabel = "P.pem",
      description = "public keys (PEM) to trust, comma-separated; several during a key rotation")
  List<Path> trustedKeys;

  @Option(names = "--signature", paramLabel = "S",
      description = "signature bundle (default M.sig)")
  Path signature;

  @Override
  public Integer call() throws Exception {
    ModelVerifier verifier = ModelVerifier.fromPemFiles(trustedKeys);
    Path sig = signature != null ? signature : Path.of(model + ".sig");
    ModelVerifier.Verified v = verifier.verify(sig, model);
    ObjectNode o = TextLines.JSON.createObjectNode();
    o.put("verified", true);
    o.put("keyId", v.keyId());
    System.out.println(o);
    return 0;
  }
}
