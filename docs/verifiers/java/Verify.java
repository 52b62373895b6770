// Verifies the gateway's identity assertion (docs/identity-assertion.md) and checks itself against
// docs/test-vectors.json. JDK 17+ only, no libraries: run with `java Verify.java [path/to/test-vectors.json]`.
// The JDK has no JSON parser, so a minimal strict one (which also refuses duplicate members) is at the end.
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public final class Verify {
    static final String ASSERTION_HEADER = "x-union-id-assertion";
    static final String TYP = "wgw-id+jwt";
    // Each injected identity header and the claim that must carry the same value.
    static final String[][] BOUND_HEADERS = {
        {"x-union-id", "uid"}, {"x-person-id", "pid"}, {"x-openid", "oid"}, {"x-appid", "app"}, {"x-legacy-user-id", "lid"}};

    static final class Refused extends Exception {
        final String reason;

        Refused(String reason) {
            super(reason);
            this.reason = reason;
        }
    }

    /** A verification key bound to its algorithm: "HS256" with a byte[] key, or "ES256" with a PublicKey. */
    record VerificationKey(String alg, Object key) {}

    static byte[] hmacSha256(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    /** HKDF-SHA256 (RFC 5869), empty salt, info "wgw-assertion-hs256:" + audience + ":" + kid, 32 bytes: one block. */
    static byte[] deriveAudienceKey(byte[] masterSecret, String audience, String kid) throws Exception {
        byte[] prk = hmacSha256(new byte[32], masterSecret);
        byte[] info = ("wgw-assertion-hs256:" + audience + ":" + kid).getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[info.length + 1];
        System.arraycopy(info, 0, block, 0, info.length);
        block[info.length] = 1;
        return hmacSha256(prk, block);
    }

    /** Canonical unpadded base64url only: one spelling per token. */
    static byte[] b64urlDecode(String text) throws Refused {
        if (!text.matches("[A-Za-z0-9_-]*") || text.length() % 4 == 1) {
            throw new Refused("malformed");
        }
        byte[] data = Base64.getUrlDecoder().decode(text);
        if (!Base64.getUrlEncoder().withoutPadding().encodeToString(data).equals(text)) {
            throw new Refused("malformed");
        }
        return data;
    }

    static PublicKey p256PublicKey(byte[] x, byte[] y) throws Exception {
        AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
        parameters.init(new ECGenParameterSpec("secp256r1"));
        ECPoint point = new ECPoint(new BigInteger(1, x), new BigInteger(1, y));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, parameters.getParameterSpec(ECParameterSpec.class)));
    }

    @SuppressWarnings("unchecked")
    static Map<String, VerificationKey> es256PublicKeys(Map<String, Object> jwks) throws Exception {
        Map<String, VerificationKey> keys = new HashMap<>();
        for (Object item : (List<Object>) jwks.getOrDefault("keys", List.of())) {
            Map<String, Object> jwk = (Map<String, Object>) item;
            if ("EC".equals(jwk.get("kty")) && "P-256".equals(jwk.get("crv")) && "ES256".equals(jwk.getOrDefault("alg", "ES256"))) {
                PublicKey key = p256PublicKey(b64urlDecode((String) jwk.get("x")), b64urlDecode((String) jwk.get("y")));
                keys.put((String) jwk.get("kid"), new VerificationKey("ES256", key));
            }
        }
        return keys;
    }

    static boolean checkSignature(VerificationKey key, byte[] signingInput, byte[] signature) throws Exception {
        if (key.alg().equals("HS256")) {
            return MessageDigest.isEqual(hmacSha256((byte[]) key.key(), signingInput), signature);
        }
        if (signature.length != 64) {
            return false;
        }
        Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
        verifier.initVerify((PublicKey) key.key());
        verifier.update(signingInput);
        return verifier.verify(signature);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> jsonObject(byte[] data) throws Refused {
        try {
            Object value = new Json(new String(data, StandardCharsets.UTF_8)).parseDocument();
            if (value instanceof Map) {
                return (Map<String, Object>) value;
            }
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            // reported as malformed below
        }
        throw new Refused("malformed");
    }

    static boolean isNullOrEmpty(String value) {
        return value == null || value.isEmpty();
    }

    static String optionalString(Map<String, Object> claims, String name) throws Refused {
        Object value = claims.get(name);
        if (value != null && !(value instanceof String)) {
            throw new Refused("malformed");
        }
        return (String) value;
    }

    /**
     * headers: lower-case name -> values as received. Keys are bound to their algorithm.
     * Returns the claims: uid pid oid app chn lid, and prv sbj eml rol (a List of Strings) cid for OpenID Connect people
     * (chn "oidc") and API clients (chn "client", no pid); these five are only in the assertion, never in a header.
     * Throws Refused with the reason codes of docs/identity-assertion.md.
     */
    static Map<String, Object> verify(Map<String, List<String>> headers, String method, String pathAndQuery, long now,
            String audience, String issuer, Map<String, VerificationKey> keys, long clockSkew) throws Exception {
        List<String> assertion = headers.getOrDefault(ASSERTION_HEADER, List.of());
        if (assertion.isEmpty()) {
            throw new Refused("missing");
        }
        String[] parts = assertion.get(0).split("\\.", -1);
        if (assertion.size() != 1 || parts.length != 3) {
            throw new Refused("malformed");
        }
        byte[] headerBytes = b64urlDecode(parts[0]);
        byte[] payloadBytes = b64urlDecode(parts[1]);
        byte[] signature = b64urlDecode(parts[2]);
        Map<String, Object> header = jsonObject(headerBytes);
        if (!(header.get("alg") instanceof String alg) || !(header.get("kid") instanceof String kid)
                || !TYP.equals(header.get("typ")) || header.containsKey("crit")) {
            throw new Refused("malformed");
        }
        if (!alg.equals("HS256") && !alg.equals("ES256")) {
            throw new Refused("alg_not_allowed");
        }
        VerificationKey key = keys.get(kid);
        if (key == null) {
            throw new Refused("unknown_key");
        }
        if (!key.alg().equals(alg)) {
            throw new Refused("alg_not_allowed");
        }
        if (!checkSignature(key, (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new Refused("bad_signature");
        }

        Map<String, Object> claims = jsonObject(payloadBytes);
        for (String name : new String[] {"iss", "aud", "jti", "htm", "htu"}) {
            if (!(claims.get(name) instanceof String)) {
                throw new Refused("malformed");
            }
        }
        if (!(claims.get("iat") instanceof Long iat) || !(claims.get("exp") instanceof Long exp)) {
            throw new Refused("malformed");
        }
        for (String name : new String[] {"uid", "pid", "oid", "app", "chn", "lid", "prv", "sbj", "eml", "cid"}) {
            optionalString(claims, name);
        }
        Object roles = claims.get("rol");
        if (roles != null && !(roles instanceof List<?> list && list.stream().allMatch(role -> role instanceof String))) {
            throw new Refused("malformed");
        }
        // An OpenID Connect person is named by provider and subject; an API client's token names its client, no person.
        String channel = optionalString(claims, "chn");
        if ("oidc".equals(channel) && (isNullOrEmpty(optionalString(claims, "prv")) || isNullOrEmpty(optionalString(claims, "sbj")))) {
            throw new Refused("malformed");
        }
        if ("client".equals(channel) && (isNullOrEmpty(optionalString(claims, "cid")) || claims.get("pid") != null)) {
            throw new Refused("malformed");
        }

        if (!claims.get("iss").equals(issuer)) {
            throw new Refused("wrong_issuer");
        }
        if (!claims.get("aud").equals(audience)) {
            throw new Refused("wrong_audience");
        }
        if (now >= exp + clockSkew) {
            throw new Refused("expired");
        }
        if (iat > now + clockSkew) {
            throw new Refused("not_yet_valid");
        }
        if (!claims.get("htm").equals(method.toUpperCase(Locale.ROOT))) {
            throw new Refused("wrong_method");
        }
        if (!claims.get("htu").equals(pathAndQuery)) {
            throw new Refused("wrong_path");
        }
        String uid = optionalString(claims, "uid");
        if (uid != null && uid.equals(optionalString(claims, "oid"))) {
            throw new Refused("subject_confusion");
        }
        for (String[] bound : BOUND_HEADERS) {
            String expected = optionalString(claims, bound[1]);
            List<String> actual = headers.getOrDefault(bound[0], List.of());
            if (expected == null ? !actual.isEmpty() : !actual.equals(List.of(expected))) {
                throw new Refused("header_mismatch");
            }
        }
        return claims;
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        String file = args.length > 0 ? args[0] : "docs/test-vectors.json";
        Map<String, Object> vectors = (Map<String, Object>) new Json(Files.readString(Path.of(file))).parseDocument();
        int failures = 0;

        Map<String, Object> hs256 = (Map<String, Object>) vectors.get("hs256");
        for (Object m : (List<Object>) hs256.get("master_secrets")) {
            Map<String, Object> master = (Map<String, Object>) m;
            for (Object o : (List<Object>) hs256.get("derivations")) {
                Map<String, Object> d = (Map<String, Object>) o;
                if (d.get("kid").equals(master.get("kid"))) {
                    byte[] key = deriveAudienceKey(Base64.getDecoder().decode((String) master.get("secret_b64")), (String) d.get("audience"), (String) d.get("kid"));
                    String got = String.format("%064x", new BigInteger(1, key));
                    boolean ok = got.equals(d.get("key_hex"));
                    failures += ok ? 0 : 1;
                    System.out.println((ok ? "PASS" : "FAIL") + " derive " + d.get("kid") + "/" + d.get("audience") + ": " + got);
                }
            }
        }

        Map<String, Object> config = (Map<String, Object>) vectors.get("verifier");
        Map<String, VerificationKey> keys = es256PublicKeys((Map<String, Object>) config.get("jwks"));
        for (Map.Entry<String, Object> e : ((Map<String, Object>) config.get("hs256_keys")).entrySet()) {
            keys.put(e.getKey(), new VerificationKey("HS256", Base64.getDecoder().decode((String) e.getValue())));
        }
        for (Object o : (List<Object>) vectors.get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            Map<String, List<String>> headers = new HashMap<>();
            for (Map.Entry<String, Object> h : ((Map<String, Object>) c.get("headers")).entrySet()) {
                headers.put(h.getKey().toLowerCase(Locale.ROOT), List.of((String) h.getValue()));
            }
            String got;
            try {
                Map<String, Object> claims = verify(headers, (String) c.get("method"), (String) c.get("path"), (Long) c.get("now"),
                        (String) config.get("audience"), (String) config.get("issuer"), keys, (Long) config.get("clock_skew_seconds"));
                got = "valid";
                Map<String, Object> identity = (Map<String, Object>) c.getOrDefault("identity", Map.of());
                for (Map.Entry<String, Object> i : identity.entrySet()) {
                    if (!java.util.Objects.equals(claims.get(i.getKey()), i.getValue())) {
                        got = "valid but identity differs";
                    }
                }
            } catch (Refused r) {
                got = r.reason;
            }
            boolean ok = got.equals(c.get("expect"));
            failures += ok ? 0 : 1;
            System.out.println((ok ? "PASS " : "FAIL ") + c.get("name") + ": expected " + c.get("expect") + ", got " + got);
        }

        System.out.println("java: " + failures + " mismatch(es)");
        System.exit(failures == 0 ? 0 : 1);
    }

    /** Strict RFC 8259 JSON: objects (duplicate members refused), arrays, strings, Long integers, Double others, true/false/null. */
    static final class Json {
        private final String text;
        private int pos;

        Json(String text) {
            this.text = text;
        }

        Object parseDocument() {
            Object value = value();
            skipWhitespace();
            if (pos != text.length()) {
                throw new IllegalArgumentException("trailing characters at " + pos);
            }
            return value;
        }

        private Object value() {
            skipWhitespace();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unexpected end");
            }
            char c = text.charAt(pos);
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                return array();
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            for (String literal : new String[] {"true", "false", "null"}) {
                if (text.startsWith(literal, pos)) {
                    pos += literal.length();
                    return literal.equals("null") ? null : Boolean.valueOf(literal);
                }
            }
            throw new IllegalArgumentException("unexpected '" + c + "' at " + pos);
        }

        private Map<String, Object> object() {
            Map<String, Object> result = new LinkedHashMap<>();
            pos++;
            skipWhitespace();
            if (peek('}')) {
                return result;
            }
            do {
                skipWhitespace();
                if (pos >= text.length() || text.charAt(pos) != '"') {
                    throw new IllegalArgumentException("member name expected at " + pos);
                }
                String name = string();
                skipWhitespace();
                expect(':');
                if (result.containsKey(name)) {
                    throw new IllegalArgumentException("duplicate member " + name);
                }
                result.put(name, value());
                skipWhitespace();
            } while (peek(','));
            expect('}');
            return result;
        }

        private List<Object> array() {
            List<Object> result = new ArrayList<>();
            pos++;
            skipWhitespace();
            if (peek(']')) {
                return result;
            }
            do {
                result.add(value());
                skipWhitespace();
            } while (peek(','));
            expect(']');
            return result;
        }

        private String string() {
            StringBuilder result = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= text.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = text.charAt(pos++);
                if (c == '"') {
                    return result.toString();
                }
                if (c < 0x20) {
                    throw new IllegalArgumentException("control character in string");
                }
                if (c != '\\') {
                    result.append(c);
                    continue;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"', '\\', '/' -> result.append(e);
                    case 'b' -> result.append('\b');
                    case 'f' -> result.append('\f');
                    case 'n' -> result.append('\n');
                    case 'r' -> result.append('\r');
                    case 't' -> result.append('\t');
                    case 'u' -> {
                        result.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + e);
                }
            }
        }

        private Object number() {
            int start = pos;
            while (pos < text.length() && "+-0123456789.eE".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
            String literal = text.substring(start, pos);
            if (!literal.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?")) {
                throw new IllegalArgumentException("bad number " + literal);
            }
            return literal.matches("-?(0|[1-9][0-9]*)") && literal.length() < 19 ? (Object) Long.valueOf(literal) : (Object) Double.valueOf(literal);
        }

        private void skipWhitespace() {
            while (pos < text.length() && " \t\r\n".indexOf(text.charAt(pos)) >= 0) {
                pos++;
            }
        }

        private boolean peek(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw new IllegalArgumentException("'" + c + "' expected at " + pos);
            }
        }
    }
}
