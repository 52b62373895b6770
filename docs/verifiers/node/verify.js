#!/usr/bin/env node
// Verifies the gateway's identity assertion (docs/identity-assertion.md) and checks itself against
// docs/test-vectors.json. Node's built-in crypto only (HKDF, HMAC, ECDSA with IEEE P1363 signatures, JWK import).
// Usage: node verify.js [path/to/test-vectors.json]
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');

const ASSERTION_HEADER = 'x-union-id-assertion';
const TYP = 'wgw-id+jwt';
// Each injected identity header and the claim that must carry the same value.
const BOUND_HEADERS = [['x-union-id', 'uid'], ['x-person-id', 'pid'], ['x-openid', 'oid'], ['x-appid', 'app'], ['x-legacy-user-id', 'lid']];

class Refused extends Error {
  constructor(reason) { super(reason); this.reason = reason; }
}

function deriveAudienceKey(masterSecret, audience, kid) {
  // HKDF-SHA256, empty salt, info "wgw-assertion-hs256:<audience>:<kid>", 32 bytes.
  return Buffer.from(crypto.hkdfSync('sha256', masterSecret, Buffer.alloc(0), Buffer.from(`wgw-assertion-hs256:${audience}:${kid}`, 'utf8'), 32));
}

// Canonical unpadded base64url only: one spelling per token.
function b64urlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new Refused('malformed');
  const data = Buffer.from(text, 'base64url');
  if (data.toString('base64url') !== text) throw new Refused('malformed');
  return data;
}

// JSON.parse cannot see duplicate members; the gateway never writes them and the signature covers the bytes.
function jsonObject(data) {
  let value;
  try { value = JSON.parse(data.toString('utf8')); } catch { throw new Refused('malformed'); }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Refused('malformed');
  return value;
}

function es256PublicKeys(jwks) {
  const keys = new Map();
  for (const jwk of jwks.keys || []) {
    if (jwk.kty === 'EC' && jwk.crv === 'P-256' && (jwk.alg === undefined || jwk.alg === 'ES256')) {
      keys.set(jwk.kid, { alg: 'ES256', key: crypto.createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, format: 'jwk' }) });
    }
  }
  return keys;
}

function checkSignature(alg, key, signingInput, signature) {
  if (alg === 'HS256') {
    const expected = crypto.createHmac('sha256', key).update(signingInput).digest();
    return signature.length === expected.length && crypto.timingSafeEqual(expected, signature);
  }
  return signature.length === 64 && crypto.verify('sha256', signingInput, { key, dsaEncoding: 'ieee-p1363' }, signature);
}

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
// Claim values are strings, null or (rol) arrays of strings.
const sameValue = (a, b) => (Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b);
const optional = (o, k) => (has(o, k) && o[k] !== null ? o[k] : null);

/**
 * headers: object with lower-case names, each value an array of strings as received.
 * keys: Map kid -> { alg: 'HS256', key: Buffer } or { alg: 'ES256', key: KeyObject }; each key only with its algorithm.
 * Returns the claims: uid pid oid app chn lid, and prv sbj eml rol (an array of strings) cid for OpenID Connect people
 * (chn 'oidc') and API clients (chn 'client', no pid); these five are only in the assertion, never in a header.
 * Throws Refused(reason) with the reason codes of docs/identity-assertion.md.
 */
function verify(headers, method, pathAndQuery, now, { audience, issuer, keys, clockSkew = 5 }) {
  const assertion = headers[ASSERTION_HEADER] || [];
  if (assertion.length === 0) throw new Refused('missing');
  const parts = assertion[0].split('.');
  if (assertion.length !== 1 || parts.length !== 3) throw new Refused('malformed');
  const [headerBytes, payloadBytes, signature] = parts.map(b64urlDecode);
  const header = jsonObject(headerBytes);
  if (typeof header.alg !== 'string' || typeof header.kid !== 'string' || header.typ !== TYP || has(header, 'crit')) throw new Refused('malformed');
  if (header.alg !== 'HS256' && header.alg !== 'ES256') throw new Refused('alg_not_allowed');
  const entry = keys.get(header.kid);
  if (!entry) throw new Refused('unknown_key');
  if (entry.alg !== header.alg) throw new Refused('alg_not_allowed');
  if (!checkSignature(header.alg, entry.key, Buffer.from(`${parts[0]}.${parts[1]}`, 'ascii'), signature)) throw new Refused('bad_signature');

  const claims = jsonObject(payloadBytes);
  if (['iss', 'aud', 'jti', 'htm', 'htu'].some((n) => typeof claims[n] !== 'string')) throw new Refused('malformed');
  if (['iat', 'exp'].some((n) => !Number.isSafeInteger(claims[n]))) throw new Refused('malformed');
  if (['uid', 'pid', 'oid', 'app', 'chn', 'lid', 'prv', 'sbj', 'eml', 'cid'].some((n) => optional(claims, n) !== null && typeof claims[n] !== 'string')) throw new Refused('malformed');
  const roles = optional(claims, 'rol');
  if (roles !== null && (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string'))) throw new Refused('malformed');
  // An OpenID Connect person is named by provider and subject; an API client's token names its client, no person.
  if (claims.chn === 'oidc' && !(optional(claims, 'prv') && optional(claims, 'sbj'))) throw new Refused('malformed');
  if (claims.chn === 'client' && (!optional(claims, 'cid') || optional(claims, 'pid') !== null)) throw new Refused('malformed');

  if (claims.iss !== issuer) throw new Refused('wrong_issuer');
  if (claims.aud !== audience) throw new Refused('wrong_audience');
  if (now >= claims.exp + clockSkew) throw new Refused('expired');
  if (claims.iat > now + clockSkew) throw new Refused('not_yet_valid');
  if (claims.htm !== method.toUpperCase()) throw new Refused('wrong_method');
  if (claims.htu !== pathAndQuery) throw new Refused('wrong_path');
  if (optional(claims, 'uid') !== null && claims.uid === optional(claims, 'oid')) throw new Refused('subject_confusion');
  for (const [name, claim] of BOUND_HEADERS) {
    const expected = optional(claims, claim);
    const actual = headers[name] || [];
    if (expected === null ? actual.length !== 0 : actual.length !== 1 || actual[0] !== expected) throw new Refused('header_mismatch');
  }
  return claims;
}

function main() {
  const vectors = JSON.parse(fs.readFileSync(process.argv[2] || 'docs/test-vectors.json', 'utf8'));
  let failures = 0;
  const report = (ok, line) => { failures += ok ? 0 : 1; console.log(`${ok ? 'PASS' : 'FAIL'} ${line}`); };

  for (const master of vectors.hs256.master_secrets) {
    for (const d of vectors.hs256.derivations.filter((x) => x.kid === master.kid)) {
      const got = deriveAudienceKey(Buffer.from(master.secret_b64, 'base64'), d.audience, d.kid).toString('hex');
      report(got === d.key_hex, `derive ${d.kid}/${d.audience}: ${got}`);
    }
  }

  const config = vectors.verifier;
  const keys = es256PublicKeys(config.jwks);
  for (const [kid, key] of Object.entries(config.hs256_keys)) keys.set(kid, { alg: 'HS256', key: Buffer.from(key, 'base64') });
  for (const c of vectors.cases) {
    const headers = Object.fromEntries(Object.entries(c.headers).map(([n, v]) => [n.toLowerCase(), [v]]));
    let got;
    try {
      const claims = verify(headers, c.method, c.path, c.now, { audience: config.audience, issuer: config.issuer, keys, clockSkew: config.clock_skew_seconds });
      got = Object.entries(c.identity || {}).every(([k, v]) => sameValue(optional(claims, k), v)) ? 'valid' : 'valid but identity differs';
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      got = e.reason;
    }
    report(got === c.expect, `${c.name}: expected ${c.expect}, got ${got}`);
  }

  console.log(`node: ${failures} mismatch(es)`);
  process.exitCode = failures ? 1 : 0;
}

module.exports = { verify, deriveAudienceKey, es256PublicKeys, Refused };
if (require.main === module) main();
