<?php
// Verifies the gateway's identity assertion (docs/identity-assertion.md) and checks itself against
// docs/test-vectors.json. PHP 8 with the bundled hash and openssl extensions (Debian: php-cli).
// Usage: php verify.php [path/to/test-vectors.json]
declare(strict_types=1);

const ASSERTION_HEADER = 'x-union-id-assertion';
const TYP = 'wgw-id+jwt';
// Each injected identity header and the claim that must carry the same value.
const BOUND_HEADERS = ['x-union-id' => 'uid', 'x-person-id' => 'pid', 'x-openid' => 'oid', 'x-appid' => 'app', 'x-legacy-user-id' => 'lid'];

final class Refused extends Exception
{
}

function refuse(string $reason): never
{
    throw new Refused($reason);
}

function derive_audience_key(string $masterSecret, string $audience, string $kid): string
{
    // HKDF-SHA256, empty salt, info "wgw-assertion-hs256:<audience>:<kid>", 32 bytes.
    return hash_hkdf('sha256', $masterSecret, 32, "wgw-assertion-hs256:$audience:$kid", '');
}

// Canonical unpadded base64url only: one spelling per token.
function b64url_decode(string $text): string
{
    if (!preg_match('/^[A-Za-z0-9_-]*$/', $text) || strlen($text) % 4 === 1) {
        refuse('malformed');
    }
    $data = base64_decode(strtr($text, '-_', '+/'), true);
    if ($data === false || rtrim(strtr(base64_encode($data), '+/', '-_'), '=') !== $text) {
        refuse('malformed');
    }
    return $data;
}

// json_decode keeps the last of duplicate members; the gateway never writes them and the signature covers the bytes.
function json_object(string $data): stdClass
{
    $value = json_decode($data, false, 16);
    if (!($value instanceof stdClass)) {
        refuse('malformed');
    }
    return $value;
}

function claim(stdClass $o, string $name): mixed
{
    return property_exists($o, $name) ? $o->$name : null;
}

/** A P-256 JWK as a PEM SubjectPublicKeyInfo, which is what openssl_verify takes. */
function p256_public_key_pem(string $x, string $y): string
{
    $spki = hex2bin('3059301306072a8648ce3d020106082a8648ce3d030107034200') . "\x04" . $x . $y;
    return "-----BEGIN PUBLIC KEY-----\n" . chunk_split(base64_encode($spki), 64, "\n") . "-----END PUBLIC KEY-----\n";
}

/** JWS carries ECDSA signatures as r||s (IEEE P1363); OpenSSL wants DER SEQUENCE { INTEGER r, INTEGER s }. */
function p1363_to_der(string $signature): string
{
    $integer = function (string $bytes): string {
        $bytes = ltrim($bytes, "\x00");
        if ($bytes === '' || ord($bytes[0]) >= 0x80) {
            $bytes = "\x00" . $bytes;
        }
        return "\x02" . chr(strlen($bytes)) . $bytes;
    };
    $body = $integer(substr($signature, 0, 32)) . $integer(substr($signature, 32, 32));
    return "\x30" . chr(strlen($body)) . $body;
}

function es256_public_keys(stdClass $jwks): array
{
    $keys = [];
    foreach ($jwks->keys ?? [] as $jwk) {
        if (($jwk->kty ?? null) === 'EC' && ($jwk->crv ?? null) === 'P-256' && in_array($jwk->alg ?? 'ES256', ['ES256'], true)) {
            $keys[$jwk->kid] = ['ES256', p256_public_key_pem(b64url_decode($jwk->x), b64url_decode($jwk->y))];
        }
    }
    return $keys;
}

function check_signature(string $alg, string $key, string $signingInput, string $signature): bool
{
    if ($alg === 'HS256') {
        return hash_equals(hash_hmac('sha256', $signingInput, $key, true), $signature);
    }
    return strlen($signature) === 64 && openssl_verify($signingInput, p1363_to_der($signature), $key, OPENSSL_ALGO_SHA256) === 1;
}

/**
 * $headers: lower-case name => list of values as received. $keys: kid => ['HS256', raw key] or ['ES256', PEM];
 * each key is accepted only with its own algorithm. Returns the claims: uid pid oid app chn lid, and prv sbj eml rol
 * (a list of strings) cid for OpenID Connect people (chn 'oidc') and API clients (chn 'client', no pid); these five
 * are only in the assertion, never in a header. Throws Refused with the reason code.
 */
function verify_assertion(array $headers, string $method, string $pathAndQuery, int $now, string $audience, string $issuer, array $keys, int $clockSkew = 5): stdClass
{
    $assertion = $headers[ASSERTION_HEADER] ?? [];
    if (count($assertion) === 0) {
        refuse('missing');
    }
    $parts = explode('.', $assertion[0]);
    if (count($assertion) !== 1 || count($parts) !== 3) {
        refuse('malformed');
    }
    [$headerBytes, $payloadBytes, $signature] = array_map('b64url_decode', $parts);
    $header = json_object($headerBytes);
    $alg = claim($header, 'alg');
    $kid = claim($header, 'kid');
    if (!is_string($alg) || !is_string($kid) || claim($header, 'typ') !== TYP || property_exists($header, 'crit')) {
        refuse('malformed');
    }
    if ($alg !== 'HS256' && $alg !== 'ES256') {
        refuse('alg_not_allowed');
    }
    if (!isset($keys[$kid])) {
        refuse('unknown_key');
    }
    [$keyAlg, $key] = $keys[$kid];
    if ($keyAlg !== $alg) {
        refuse('alg_not_allowed');
    }
    if (!check_signature($alg, $key, $parts[0] . '.' . $parts[1], $signature)) {
        refuse('bad_signature');
    }

    $claims = json_object($payloadBytes);
    foreach (['iss', 'aud', 'jti', 'htm', 'htu'] as $name) {
        if (!is_string(claim($claims, $name))) {
            refuse('malformed');
        }
    }
    foreach (['iat', 'exp'] as $name) {
        if (!is_int(claim($claims, $name))) {
            refuse('malformed');
        }
    }
    foreach (['uid', 'pid', 'oid', 'app', 'chn', 'lid', 'prv', 'sbj', 'eml', 'cid'] as $name) {
        if (claim($claims, $name) !== null && !is_string(claim($claims, $name))) {
            refuse('malformed');
        }
    }
    $roles = claim($claims, 'rol');
    if ($roles !== null && (!is_array($roles) || count(array_filter($roles, 'is_string')) !== count($roles))) {
        refuse('malformed');
    }
    // An OpenID Connect person is named by provider and subject; an API client's token names its client, no person.
    $nonEmpty = fn (string $name): bool => is_string(claim($claims, $name)) && claim($claims, $name) !== '';
    if (claim($claims, 'chn') === 'oidc' && !($nonEmpty('prv') && $nonEmpty('sbj'))) {
        refuse('malformed');
    }
    if (claim($claims, 'chn') === 'client' && (!$nonEmpty('cid') || claim($claims, 'pid') !== null)) {
        refuse('malformed');
    }

    if ($claims->iss !== $issuer) {
        refuse('wrong_issuer');
    }
    if ($claims->aud !== $audience) {
        refuse('wrong_audience');
    }
    if ($now >= $claims->exp + $clockSkew) {
        refuse('expired');
    }
    if ($claims->iat > $now + $clockSkew) {
        refuse('not_yet_valid');
    }
    if ($claims->htm !== strtoupper($method)) {
        refuse('wrong_method');
    }
    if ($claims->htu !== $pathAndQuery) {
        refuse('wrong_path');
    }
    if (claim($claims, 'uid') !== null && claim($claims, 'uid') === claim($claims, 'oid')) {
        refuse('subject_confusion');
    }
    foreach (BOUND_HEADERS as $name => $claimName) {
        $expected = claim($claims, $claimName);
        $actual = $headers[$name] ?? [];
        if ($expected === null ? count($actual) !== 0 : $actual !== [$expected]) {
            refuse('header_mismatch');
        }
    }
    return $claims;
}

function main(array $argv): int
{
    $vectors = json_decode(file_get_contents($argv[1] ?? 'docs/test-vectors.json'), false, 32, JSON_THROW_ON_ERROR);
    $failures = 0;
    $report = function (bool $ok, string $line) use (&$failures): void {
        $failures += $ok ? 0 : 1;
        echo ($ok ? 'PASS ' : 'FAIL ') . $line . "\n";
    };

    foreach ($vectors->hs256->master_secrets as $master) {
        foreach ($vectors->hs256->derivations as $d) {
            if ($d->kid === $master->kid) {
                $got = bin2hex(derive_audience_key(base64_decode($master->secret_b64, true), $d->audience, $d->kid));
                $report($got === $d->key_hex, "derive {$d->kid}/{$d->audience}: $got");
            }
        }
    }

    $config = $vectors->verifier;
    $keys = es256_public_keys($config->jwks);
    foreach ($config->hs256_keys as $kid => $key) {
        $keys[$kid] = ['HS256', base64_decode($key, true)];
    }
    foreach ($vectors->cases as $case) {
        $headers = [];
        foreach ($case->headers as $name => $value) {
            $headers[strtolower($name)] = [$value];
        }
        try {
            $claims = verify_assertion($headers, $case->method, $case->path, $case->now, $config->audience, $config->issuer, $keys, $config->clock_skew_seconds);
            $got = 'valid';
            foreach ($case->identity ?? [] as $name => $value) {
                if (claim($claims, $name) !== $value) {
                    $got = 'valid but identity differs';
                }
            }
        } catch (Refused $refused) {
            $got = $refused->getMessage();
        }
        $report($got === $case->expect, "{$case->name}: expected {$case->expect}, got $got");
    }

    echo "php: $failures mismatch(es)\n";
    return $failures === 0 ? 0 : 1;
}

exit(main($argv));
