using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Gateway.Auth.Signing;
using Gateway.IdentityAssertions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

BenchmarkRunner.Run<Gateway.Benchmarks.AssertionSigningBenchmarks>(args: args);

namespace Gateway.Benchmarks
{
    /// <summary>The gateway's per-request signing work for a signed-in user, with realistic identity values.</summary>
    [MemoryDiagnoser]
    public class AssertionSigningBenchmarks
    {
        private static readonly AssertedIdentity Identity =
            new(new UnionId("oUnion_7bX9kQ2mZt4pLw8vRj3sNc"), new PersonId(1048576), new OpenId("oOpen_Hs7d2KqLmPz9xW4tYv"), new AppId("wx0123456789abcdef"), "mini_program", null);

        private IIdentityAssertionSigner _signer = null!;

        [GlobalSetup]
        public void Setup()
        {
            using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Signing:Hs256:ActiveKeyId"] = "hs-1",
                ["Signing:Hs256:Keys:hs-1:Secret"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
                ["Signing:Es256:ActiveKeyId"] = "es-1",
                ["Signing:Es256:Keys:es-1:PrivateKeyPem"] = ec.ExportPkcs8PrivateKeyPem(),
            }).Build();
            var services = new ServiceCollection().AddLogging().AddIdentityAssertions(configuration).BuildServiceProvider();
            _signer = services.GetRequiredService<IIdentityAssertionSigner>();
        }

        [Benchmark(Baseline = true)]
        public SignedIdentityAssertion Hs256() =>
            _signer.Sign(new IdentityAssertionRequest("orders", AssertionFormat.Hs256, "GET", "/orders/42?page=1", Identity));

        [Benchmark]
        public SignedIdentityAssertion Es256() =>
            _signer.Sign(new IdentityAssertionRequest("orders", AssertionFormat.Es256, "GET", "/orders/42?page=1", Identity));
    }
}
