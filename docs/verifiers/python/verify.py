#!/usr/bin/python3
"""Verifies the gateway's identity assertion (docs/identity-assertion.md) and checks itself against
docs/test-vectors.json.

HS256 needs only the standard library. ES256 needs the 'cryptography' package (Debian: python3-cryptography),
because Python's standard library has no ECDSA.

Usage: verify.py [path/to/test-vectors.json]
"""
import base64
import hashlib
import hmac
import json
import re
import sys

ASSERTION_HEADER = "x-union-id-assertion"
TYP = "wgw-id+jwt"
# Each injected identity header and the claim that must carry the same value.
BOUND_HEADERS = [("x-union-id", "uid"), ("x-person-id", "pid"), ("x-openid", "oid"),
                 ("x-appid", "app"), ("x-legacy-user-id", "lid")]
B64URL = re.compile(r"^[A-Za-z0-9_-]*$")


class Refused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def hkdf_sha256(ikm, info, length=32, salt=b""):
    """RFC 5869; an empty salt means HashLen zero bytes."""
    prk = hmac.new(salt or b"\x00" * 32, ikm, hashlib.sha256).digest()
    okm, block, counter = b"", b"", 1
    while len(okm) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        okm += block
        counter += 1
    return okm[:length]


def derive_audience_key(master_secret, audience, kid):
    return hkdf_sha256(master_secret, ("wgw-assertion-hs256:" + audience + ":" + kid).encode("utf-8"))


def b64url_decode(text):
    """Canonical unpadded base64url only: one spelling per token."""
    if not B64URL.match(text) or len(text) % 4 == 1:
        raise Refused("malformed")
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if base64.urlsafe_b64encode(data).decode("ascii").rstrip("=") != text:
        raise Refused("malformed")
    return data


def json_object(data):
    def no_duplicates(pairs):
        result = {}
        for key, value in pairs:
            if key in result:
                raise ValueError("duplicate member " + key)
            result[key] = value
        return result
    try:
        value = json.loads(data.decode("utf-8"), object_pairs_hook=no_duplicates)
    except ValueError:
        raise Refused("malformed")
    if not isinstance(value, dict):
        raise Refused("malformed")
    return value


def es256_public_keys(jwks):
    """kid -> public key, for the P-256 keys of a JWK Set."""
    from cryptography.hazmat.primitives.asymmetric import ec
    keys = {}
    for jwk in jwks.get("keys", []):
        if jwk.get("kty") == "EC" and jwk.get("crv") == "P-256" and jwk.get("alg", "ES256") == "ES256":
            x = int.from_bytes(b64url_decode(jwk["x"]), "big")
            y = int.from_bytes(b64url_decode(jwk["y"]), "big")
            keys[jwk["kid"]] = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    return keys


def check_signature(alg, key, signing_input, signature):
    if alg == "HS256":
        return hmac.compare_digest(hmac.new(key, signing_input, hashlib.sha256).digest(), signature)
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
    if len(signature) != 64:
        return False
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        key.verify(der, signing_input, ec.ECDSA(hashes.SHA256()))
        return True
    except InvalidSignature:
        return False


def verify(headers, method, path_and_query, now, audience, issuer, keys, clock_skew=5):
    """headers: dict with lower-case names, each value a list of strings as received.
    keys: kid -> ("HS256", key bytes) or ("ES256", public key); each key is accepted only with its own algorithm.
    Returns the claims: uid pid oid app chn lid, and prv sbj eml rol (a list of strings) cid for OpenID Connect
    people (chn "oidc") and API clients (chn "client", no pid); these five are only in the assertion, never in a header.
    Raises Refused(reason) with the reason codes of docs/identity-assertion.md."""
    assertion = headers.get(ASSERTION_HEADER, [])
    if not assertion:
        raise Refused("missing")
    parts = assertion[0].split(".")
    if len(assertion) != 1 or len(parts) != 3:
        raise Refused("malformed")
    header_bytes, payload_bytes, signature = (b64url_decode(part) for part in parts)
    header = json_object(header_bytes)
    alg, kid = header.get("alg"), header.get("kid")
    if not isinstance(alg, str) or not isinstance(kid, str) or header.get("typ") != TYP or "crit" in header:
        raise Refused("malformed")
    if alg not in ("HS256", "ES256"):
        raise Refused("alg_not_allowed")
    if kid not in keys:
        raise Refused("unknown_key")
    key_alg, key = keys[kid]
    if key_alg != alg:
        raise Refused("alg_not_allowed")
    if not check_signature(alg, key, (parts[0] + "." + parts[1]).encode("ascii"), signature):
        raise Refused("bad_signature")

    claims = json_object(payload_bytes)
    for name in ("iss", "aud", "jti", "htm", "htu"):
        if not isinstance(claims.get(name), str):
            raise Refused("malformed")
    for name in ("iat", "exp"):
        if type(claims.get(name)) is not int:
            raise Refused("malformed")
    for name in ("uid", "pid", "oid", "app", "chn", "lid", "prv", "sbj", "eml", "cid"):
        if claims.get(name) is not None and not isinstance(claims[name], str):
            raise Refused("malformed")
    roles = claims.get("rol")
    if roles is not None and (not isinstance(roles, list) or not all(isinstance(role, str) for role in roles)):
        raise Refused("malformed")
    # An OpenID Connect person is named by provider and subject; an API client's token names its client, no person.
    if claims.get("chn") == "oidc" and not (claims.get("prv") and claims.get("sbj")):
        raise Refused("malformed")
    if claims.get("chn") == "client" and (not claims.get("cid") or claims.get("pid") is not None):
        raise Refused("malformed")

    if claims["iss"] != issuer:
        raise Refused("wrong_issuer")
    if claims["aud"] != audience:
        raise Refused("wrong_audience")
    if now >= claims["exp"] + clock_skew:
        raise Refused("expired")
    if claims["iat"] > now + clock_skew:
        raise Refused("not_yet_valid")
    if claims["htm"] != method.upper():
        raise Refused("wrong_method")
    if claims["htu"] != path_and_query:
        raise Refused("wrong_path")
    if claims.get("uid") is not None and claims.get("uid") == claims.get("oid"):
        raise Refused("subject_confusion")
    for header_name, claim in BOUND_HEADERS:
        expected = claims.get(claim)
        actual = headers.get(header_name, [])
        if (expected is None and actual) or (expected is not None and actual != [expected]):
            raise Refused("header_mismatch")
    return claims


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "docs/test-vectors.json"
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    failures = 0

    for master in vectors["hs256"]["master_secrets"]:
        for d in vectors["hs256"]["derivations"]:
            if d["kid"] == master["kid"]:
                got = derive_audience_key(base64.b64decode(master["secret_b64"]), d["audience"], d["kid"]).hex()
                ok = got == d["key_hex"]
                failures += not ok
                print(("PASS" if ok else "FAIL") + " derive " + d["kid"] + "/" + d["audience"] + ": " + got)

    config = vectors["verifier"]
    keys = {kid: ("HS256", base64.b64decode(key)) for kid, key in config["hs256_keys"].items()}
    keys.update({kid: ("ES256", key) for kid, key in es256_public_keys(config["jwks"]).items()})
    for case in vectors["cases"]:
        headers = {name.lower(): [value] for name, value in case["headers"].items()}
        try:
            claims = verify(headers, case["method"], case["path"], case["now"], config["audience"], config["issuer"],
                            keys, config["clock_skew_seconds"])
            got = "valid"
            if case.get("identity") and any(claims.get(k) != v for k, v in case["identity"].items()):
                got = "valid but identity differs"
        except Refused as refused:
            got = refused.reason
        ok = got == case["expect"]
        failures += not ok
        print(("PASS " if ok else "FAIL ") + case["name"] + ": expected " + case["expect"] + ", got " + got)

    print("python: %d mismatch(es)" % failures)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
