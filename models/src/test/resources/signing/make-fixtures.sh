#!/usr/bin/env bash
# Regenerates the signing test fixtures with openssl alone (test-only keys: never use them to
# sign anything real). Run from this directory; the tests read the files, they do not run this.
#
#   alice.key.pem  P-256 private key, PKCS#8      (openssl pkcs8 -topk8 -nocrypt)
#   bob.key.pem    P-256 private key, SEC1         (openssl ecparam -genkey, EC PARAMETERS first)
#   carol.key.pem  P-384 private key, PKCS#8
#   *.pub.pem      their public keys, SubjectPublicKeyInfo (openssl ec -pubout)
#   model.bin      a small file to sign
#   openssl-alice.sig
#                  a bundle signed by openssl, not by our code, in the layout model_signing
#                  0.3.1-1.0.0 wrote: publicKey.rawBytes (base64 of the PEM) instead of a hint,
#                  "keyid": null, and the statement pretty-printed with 2-space indents and its
#                  single resource named "."
set -euo pipefail

openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out alice.key.pem
openssl ecparam -name prime256v1 -genkey -out bob.key.pem
openssl ecparam -name secp384r1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -out carol.key.pem
for k in alice bob carol; do openssl ec -in $k.key.pem -pubout -out $k.pub.pem 2>/dev/null; done

printf 'RNNSNAP\nnot a real snapshot: any bytes can be signed\n' > model.bin

file_sha=$(openssl dgst -sha256 -r model.bin | cut -d' ' -f1)
root_sha=$(printf '%s' "$file_sha" | xxd -r -p | openssl dgst -sha256 -r | cut -d' ' -f1)
cat > statement.json <<JSON
{
  "_type": "https://in-toto.io/Statement/v1",
  "subject": [
    {
      "name": "model.bin",
      "digest": {
        "sha256": "$root_sha"
      }
    }
  ],
  "predicateType": "https://model_signing/signature/v1.0",
  "predicate": {
    "serialization": {
      "method": "files",
      "hash_type": "sha256",
      "allow_symlinks": false
    },
    "resources": [
      {
        "name": ".",
        "digest": "$file_sha",
        "algorithm": "sha256"
      }
    ]
  }
}
JSON
type=application/vnd.in-toto+json
{ printf 'DSSEv1 %d %s %d ' ${#type} "$type" "$(wc -c < statement.json)"; cat statement.json; } > pae.bin
openssl dgst -sha256 -sign alice.key.pem -out sig.der pae.bin
cat > openssl-alice.sig <<JSON
{"mediaType": "application/vnd.dev.sigstore.bundle.v0.3+json", "verificationMaterial": {"publicKey": {"rawBytes": "$(base64 -w0 alice.pub.pem)", "keyDetails": "PKIX_ECDSA_P256_SHA_256"}}, "dsseEnvelope": {"payload": "$(base64 -w0 statement.json)", "payloadType": "$type", "signatures": [{"sig": "$(base64 -w0 sig.der)", "keyid": null}]}}
JSON
rm statement.json pae.bin sig.der
