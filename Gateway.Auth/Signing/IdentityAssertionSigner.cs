using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Auth.Signing;

/// <summary>
/// Signs identity assertions with the active HS256 master secret (per audience) or the active ES256 key of the key
/// ring in use. Each assertion reads the ring once, so it is signed wholly with the ring before a reload or wholly
/// with the one after.
/// </summary>
internal sealed class IdentityAssertionSigner : IIdentityAssertionSigner
{
    private readonly Func<SigningKeyRing> _currentRing;
    private readonly TimeProvider _timeProvider;
    private readonly Func<string> _newTokenId;

    // Signing runs once per proxied request: the payload is written into a per-thread buffer, not a new stream.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _payloadBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _payloadWriter;

    // A keyed HMAC reused per thread and audience key costs half of a one-shot HMAC, which re-keys every call.
    // The cache belongs to one ring: the first signature with a newer ring drops the keys of the older one.
    [ThreadStatic]
    private static Dictionary<byte[], IncrementalHash>? _hmacs;

    [ThreadStatic]
    private static SigningKeyRing? _hmacsRing;

    [ThreadStatic]
    private static byte[]? _tokenIdRandom;

    [ThreadStatic]
    private static int _tokenIdOffset;

    public IdentityAssertionSigner(Func<SigningKeyRing> currentRing, TimeProvider timeProvider, Func<string> newTokenId)
    {
        _currentRing = currentRing;
        _timeProvider = timeProvider;
        _newTokenId = newTokenId;
    }

    private static readonly SearchValues<char> HttpMethodCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public SignedIdentityAssertion Sign(IdentityAssertionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckRequest(request);

        var identity = request.Identity;
        var ring = _currentRing();
        var keyId = request.Algorithm switch
        {
            AssertionFormat.Hs256 => ring.Hs256ActiveKeyId
                ?? throw new ArgumentException("No HS256 key is configured (Signing:Hs256:ActiveKeyId).", nameof(request)),
            AssertionFormat.Es256 => ring.Es256ActiveKeyId
                ?? throw new ArgumentException("No ES256 key is configured (Signing:Es256:ActiveKeyId).", nameof(request)),
            _ => throw new ArgumentException($"Algorithm '{request.Algorithm}' is not HS256 or ES256.", nameof(request)),
        };

        var payload = WritePayload(ring, request, _timeProvider.GetUtcNow().ToUnixTimeSeconds());
        var token = Compact(ring, ring.EncodedHeader(request.Algorithm, keyId), payload, request, keyId);

        var headers = new List<KeyValuePair<string, string>>(AssertedIdentityHeaders.Bound.Count + 1);
        foreach (var (header, value) in AssertedIdentityHeaders.Bound)
        {
            if (value(identity) is { } text)
            {
                headers.Add(new(header, text));
            }
        }

        headers.Add(new(IdentityHeaders.Assertion, token));
        return new SignedIdentityAssertion(token, headers);
    }

    /// <summary>128 random bits, base64url: unique enough for a replay cache keyed on <c>jti</c>.</summary>
    public static string NewTokenId()
    {
        // One call into the system CSPRNG costs ~0.8 µs, more than the HMAC: draw for 256 ids at a time per thread.
        const int idBytes = 16;
        var pool = _tokenIdRandom ??= new byte[idBytes * 256];
        if (_tokenIdOffset == 0)
        {
            RandomNumberGenerator.Fill(pool);
        }

        var id = Base64Url.EncodeToString(pool.AsSpan(_tokenIdOffset, idBytes));
        _tokenIdOffset = (_tokenIdOffset + idBytes) % pool.Length;
        return id;
    }

    /// <summary><c>base64url(header) "." base64url(payload) "." base64url(signature)</c>, built in one pass.</summary>
    private static string Compact(SigningKeyRing ring, string header, ReadOnlySpan<byte> payload, IdentityAssertionRequest request, string keyId)
    {
        var inputLength = header.Length + 1 + Base64Url.GetEncodedLength(payload.Length);
        var signatureLength = request.Algorithm == AssertionFormat.Hs256 ? HMACSHA256.HashSizeInBytes : 64;
        var tokenLength = inputLength + 1 + Base64Url.GetEncodedLength(signatureLength);
        var chars = ArrayPool<char>.Shared.Rent(tokenLength);
        var input = ArrayPool<byte>.Shared.Rent(inputLength);
        try
        {
            header.CopyTo(chars);
            chars[header.Length] = '.';
            Base64Url.EncodeToChars(payload, chars.AsSpan(header.Length + 1));
            Encoding.ASCII.GetBytes(chars.AsSpan(0, inputLength), input);
            var signingInput = input.AsSpan(0, inputLength);

            Span<byte> hmac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            ReadOnlySpan<byte> signature = request.Algorithm == AssertionFormat.Hs256
                ? hmac[..Hmac(ring, ring.AudienceKey(request.Audience, keyId), signingInput, hmac)]
                : ring.Es256ActiveKey!.Sign(signingInput.ToArray());

            chars[inputLength] = '.';
            var written = Base64Url.EncodeToChars(signature, chars.AsSpan(inputLength + 1));
            return new string(chars, 0, inputLength + 1 + written);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static int Hmac(SigningKeyRing ring, byte[] key, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (!ReferenceEquals(_hmacsRing, ring))
        {
            foreach (var stale in _hmacs?.Values ?? Enumerable.Empty<IncrementalHash>())
            {
                stale.Dispose();
            }

            _hmacs = null;
            _hmacsRing = ring;
        }

        var cache = _hmacs ??= new Dictionary<byte[], IncrementalHash>(ReferenceEqualityComparer.Instance);
        if (!cache.TryGetValue(key, out var hmac))
        {
            cache[key] = hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        }

        hmac.AppendData(data);
        return hmac.GetHashAndReset(destination);
    }

    private ReadOnlySpan<byte> WritePayload(SigningKeyRing ring, IdentityAssertionRequest request, long now)
    {
        var buffer = _payloadBuffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        var writer = _payloadWriter ??= new Utf8JsonWriter(buffer, CompactJws.WriterOptions);
        writer.Reset(buffer);

        var identity = request.Identity;
        writer.WriteStartObject();
        writer.WriteString(AssertionClaimNames.Issuer, ring.Issuer);
        writer.WriteString(AssertionClaimNames.Audience, request.Audience);
        writer.WriteNumber(AssertionClaimNames.IssuedAt, now);
        writer.WriteNumber(AssertionClaimNames.ExpiresAt, now + ring.LifetimeSeconds);
        writer.WriteString(AssertionClaimNames.TokenId, _newTokenId());
        writer.WriteString(AssertionClaimNames.Method, request.Method.ToUpperInvariant());
        writer.WriteString(AssertionClaimNames.PathAndQuery, request.PathAndQuery);
        WriteOptional(writer, AssertionClaimNames.UnionId, identity.UnionId?.Value);
        WriteOptional(writer, AssertionClaimNames.PersonId, identity.PersonId?.ToString());
        WriteOptional(writer, AssertionClaimNames.OpenId, identity.OpenId?.Value);
        WriteOptional(writer, AssertionClaimNames.AppId, identity.AppId?.Value);
        WriteOptional(writer, AssertionClaimNames.Channel, identity.Channel);
        WriteOptional(writer, AssertionClaimNames.LegacyUserId, identity.LegacyUserId);
        WriteOptional(writer, AssertionClaimNames.Provider, identity.Provider);
        WriteOptional(writer, AssertionClaimNames.Subject, identity.Subject);
        WriteOptional(writer, AssertionClaimNames.Email, identity.Email);
        if (identity.Roles is { Count: > 0 } roles)
        {
            writer.WriteStartArray(AssertionClaimNames.Roles);
            foreach (var role in roles)
            {
                writer.WriteStringValue(role);
            }

            writer.WriteEndArray();
        }

        WriteOptional(writer, AssertionClaimNames.ClientId, identity.ClientId);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }

    private static void WriteOptional(Utf8JsonWriter writer, string claim, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(claim, value);
        }
    }

    private static void CheckRequest(IdentityAssertionRequest request)
    {
        var identity = request.Identity ?? throw new ArgumentException("Identity is required.", nameof(request));
        if (string.IsNullOrEmpty(request.Audience))
        {
            throw new ArgumentException("Audience is required.", nameof(request));
        }

        if (string.IsNullOrEmpty(request.Method) || request.Method.AsSpan().ContainsAnyExcept(HttpMethodCharacters))
        {
            throw new ArgumentException($"Method '{request.Method}' is not an HTTP method.", nameof(request));
        }

        if (!request.PathAndQuery.StartsWith('/') || !IsHeaderSafe(request.PathAndQuery, 8192))
        {
            throw new ArgumentException("PathAndQuery must be the percent-encoded origin-form target, starting with '/'.", nameof(request));
        }

        foreach (var (header, value) in AssertedIdentityHeaders.Bound)
        {
            if (value(identity) is { } text && !IsHeaderSafe(text, 256))
            {
                throw new ArgumentException($"The value for {header} must be 1 to 256 visible ASCII characters.", nameof(request));
            }
        }

        if (identity.Channel is not null && !AssertionChannels.IsKnown(identity.Channel))
        {
            throw new ArgumentException($"Channel '{identity.Channel}' is not a known channel.", nameof(request));
        }

        // docs/security.md §9: a downstream keys accounts on uid; an openid there would merge or split people.
        if (identity.UnionId is { } unionId && identity.OpenId is { } openId && unionId.Value == openId.Value)
        {
            throw new ArgumentException("UnionId equals OpenId: an openid is never asserted as a unionid.", nameof(request));
        }
    }

    private static bool IsHeaderSafe(string value, int maxLength) =>
        value.Length > 0 && value.Length <= maxLength && !value.AsSpan().ContainsAnyExceptInRange('!', '~');
}
