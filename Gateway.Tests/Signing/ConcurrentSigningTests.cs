using Gateway.Auth.Signing;
using static Gateway.Tests.Signing.AssertionTestbed;

namespace Gateway.Tests.Signing;

/// <summary>The signer reuses per-thread buffers and keyed HMACs; concurrent requests must never share a payload.</summary>
public sealed class ConcurrentSigningTests : IDisposable
{
    private readonly AssertionTestbed _testbed = Standard();

    [Theory]
    [InlineData(AssertionFormat.Hs256)]
    [InlineData(AssertionFormat.Es256)]
    public async Task AssertionsSignedConcurrentlyEachVerifyForTheirOwnRequestOnly(string algorithm)
    {
        var verifier = _testbed.Verifier();
        var signed = await Task.WhenAll(Enumerable.Range(0, 16).Select(worker => Task.Run(() =>
            Enumerable.Range(0, 200).Select(i =>
            {
                var path = $"/orders/{worker}-{i}?page={i}";
                return (Path: path, Assertion: _testbed.Sign(algorithm, path: path));
            }).ToList())));

        var all = signed.SelectMany(batch => batch).ToList();
        Assert.Equal(3200, all.Select(s => s.Assertion.Token).Distinct().Count());
        foreach (var (path, assertion) in all)
        {
            var result = verifier.Verify(Headers(assertion), "GET", path);
            Assert.True(result.Succeeded, $"{path}: {result.FailureReason}");
        }
    }

    [Fact]
    public async Task TokenIdsDrawnFromPerThreadRandomBatchesNeverRepeat()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            Enumerable.Range(0, 5000).Select(_ => IdentityAssertionSigner.NewTokenId()).ToList())));

        var all = ids.SelectMany(batch => batch).ToList();
        Assert.Equal(all.Count, all.Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, id => Assert.Equal(22, id.Length));
    }

    public void Dispose() => _testbed.Dispose();
}
