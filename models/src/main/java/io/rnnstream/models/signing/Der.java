package io.rnnstream.models.signing;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;

/**
 * The little DER (ITU-T X.690) that reading EC keys needs: walk the elements of a SEQUENCE,
 * and write SEQUENCEs, OIDs, BIT and OCTET STRINGs. Lengths up to 2^31, no indefinite form.
 */
final class Der {
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int OID = 0x06;
  static final int SEQUENCE = 0x30;
  /** Context-specific constructed tags [0] and [1] (the optional fields of ECPrivateKey). */
  static final int CONTEXT_0 = 0xa0;
  static final int CONTEXT_1 = 0xa1;

  /** One element: its tag and the bytes of its content. */
  record Element(int tag, byte[] content) {
    /** The elements inside a constructed element (a SEQUENCE, [0], [1]). */
    Reader children() {
      return new Reader(content);
    }
  }

  /** Reads consecutive elements from a byte array. */
  static final class Reader {
    private final byte[] der;
    private int pos;

    Reader(byte[] der) {
      this.der = der;
    }

    boolean hasNext() {
      return pos < der.length;
    }

    Element next() throws InvalidKeySpecException {
      if (pos + 2 > der.length) {
        throw new InvalidKeySpecException("truncated DER");
      }
      int tag = der[pos++] & 0xff;
      int len = der[pos++] & 0xff;
      if (len >= 0x80) {
        int n = len & 0x7f;
        if (n == 0 || n > 4 || pos + n > der.length) {
          throw new InvalidKeySpecException("unsupported DER length");
        }
        len = 0;
        for (int i = 0; i < n; i++) {
          len = (len << 8) | (der[pos++] & 0xff);
        }
      }
      if (len < 0 || pos + len > der.length) {
        throw new InvalidKeySpecException("truncated DER");
      }
      byte[] content = Arrays.copyOfRange(der, pos, pos + len);
      pos += len;
      return new Element(tag, content);
    }

    Element next(int expectedTag, String what) throws InvalidKeySpecException {
      Element e = next();
      if (e.tag() != expectedTag) {
        throw new InvalidKeySpecException(what + ": expected DER tag 0x"
            + Integer.toHexString(expectedTag) + ", found 0x" + Integer.toHexString(e.tag()));
      }
      return e;
    }
  }

  /** The single element that makes up {@code der}. */
  static Element parse(byte[] der, int expectedTag, String what) throws InvalidKeySpecException {
    Reader r = new Reader(der);
    Element e = r.next(expectedTag, what);
    if (r.hasNext()) {
      throw new InvalidKeySpecException(what + ": trailing bytes after the DER structure");
    }
    return e;
  }

  static byte[] element(int tag, byte[]... contents) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] c : contents) {
      body.writeBytes(c);
    }
    int len = body.size();
    ByteArrayOutputStream out = new ByteArrayOutputStream(len + 6);
    out.write(tag);
    if (len < 0x80) {
      out.write(len);
    } else {
      byte[] l = BigInteger.valueOf(len).toByteArray();
      int skip = l[0] == 0 ? 1 : 0;
      out.write(0x80 | (l.length - skip));
      out.write(l, skip, l.length - skip);
    }
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** Dotted form of an OID's content bytes, e.g. "1.2.840.10045.3.1.7". */
  static String oidString(byte[] content) {
    StringBuilder s = new StringBuilder();
    long value = 0;
    boolean first = true;
    for (byte b : content) {
      value = (value << 7) | (b & 0x7f);
      if ((b & 0x80) == 0) {
        if (first) {
          int a = value < 40 ? 0 : value < 80 ? 1 : 2;
          s.append(a).append('.').append(value - 40L * a);
          first = false;
        } else {
          s.append('.').append(value);
        }
        value = 0;
      }
    }
    return s.toString();
  }

  private Der() {}
}
