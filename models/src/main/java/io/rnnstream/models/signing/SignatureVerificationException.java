package io.rnnstream.models.signing;

import java.security.SignatureException;

/**
 * A signature bundle that does not vouch for a model. The message is one line that says what is
 * wrong and, where there is one, what to do: the model's digest differs from the signed one, the
 * signing key is not trusted, the signature does not verify, the bundle is malformed (naming the
 * field), or it uses a format this verifier does not support.
 */
public final class SignatureVerificationException extends SignatureException {
  private static final long serialVersionUID = 1L;

  public SignatureVerificationException(String message) {
    super(message);
  }

  public SignatureVerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
