using System.Security.Claims;
using Gateway.Auth.Sessions;
using Gateway.Auth.Sessions.Authentication;
using Gateway.IdentityAssertions;

namespace Gateway.Tests.Sessions;

/// <summary>
/// The session principal builds its claims on first use; whatever reads or changes them first sees the same claims
/// an eagerly built identity would have.
/// </summary>
public sealed class GatewaySessionPrincipalTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    private static readonly ActiveSession Session = new(
        new PersonId(42), new UnionId("oUnion0123456789abcdefghijkl"), new OpenId("oOpen0123456789abcdefghijklm"), new AppId("wx1234567890abcdef"),
        "mini_program", "legacy-7", SessionTransport.Bearer, Now, Now.AddHours(2), Now.AddDays(30), PhoneVerified: true);

    private static readonly (string Type, string Value)[] Expected =
    [
        (GatewayClaimTypes.PersonId, "42"), (GatewayClaimTypes.OpenId, "oOpen0123456789abcdefghijklm"), (GatewayClaimTypes.AppId, "wx1234567890abcdef"),
        (GatewayClaimTypes.Channel, "mini_program"), (GatewayClaimTypes.Transport, "bearer"), (GatewayClaimTypes.UnionId, "oUnion0123456789abcdefghijkl"),
        (GatewayClaimTypes.PhoneNumberVerified, "true"), (GatewayClaimTypes.LegacyUserId, "legacy-7"), (ClaimTypes.Role, "staff"), (ClaimTypes.Role, "ops"),
    ];

    public static TheoryData<string> FirstReads => ["Claims", "FindFirst", "FindFirstPredicate", "FindAll", "FindAllPredicate", "HasClaim", "HasClaimPredicate", "IsInRole", "Name", "Clone", "AddClaim", "RemoveClaim", "WriteTo"];

    [Theory]
    [MemberData(nameof(FirstReads))]
    public void WhateverReadsTheClaimsFirstSeesAllOfThemOnce(string firstRead)
    {
        var principal = Create();
        var identity = (ClaimsIdentity)principal.Identity!;

        var after = firstRead switch
        {
            "Claims" => Read(identity.Claims),
            "FindFirst" => Check(identity.FindFirst(GatewayClaimTypes.Channel)?.Value == "mini_program", identity),
            "FindFirstPredicate" => Check(identity.FindFirst(c => c.Type == GatewayClaimTypes.AppId)?.Value == "wx1234567890abcdef", identity),
            "FindAll" => Check(identity.FindAll(ClaimTypes.Role).Select(c => c.Value).SequenceEqual(["staff", "ops"]), identity),
            "FindAllPredicate" => Check(identity.FindAll(c => c.Type == GatewayClaimTypes.UnionId).Count() == 1, identity),
            "HasClaim" => Check(identity.HasClaim(GatewayClaimTypes.PhoneNumberVerified, "true"), identity),
            "HasClaimPredicate" => Check(identity.HasClaim(c => c.Type == GatewayClaimTypes.LegacyUserId && c.Value == "legacy-7"), identity),
            "IsInRole" => Check(principal.IsInRole("ops") && !principal.IsInRole("admin"), identity),
            "Name" => Check(identity.Name == "42", identity),
            "Clone" => identity.Clone(),
            "AddClaim" => Added(identity),
            "RemoveClaim" => Removed(identity),
            "WriteTo" => RoundTripped(identity),
            _ => throw new ArgumentOutOfRangeException(nameof(firstRead)),
        };

        var expected = firstRead switch
        {
            "AddClaim" => [.. Expected, ("extra", "1")],
            "RemoveClaim" => Expected.Where(c => c.Type != GatewayClaimTypes.LegacyUserId).ToArray(),
            _ => Expected,
        };
        Assert.Equal(expected, after.Claims.Select(c => (c.Type, c.Value)).ToArray());
        Assert.All(after.Claims, claim => Assert.Same(after, claim.Subject));
    }

    [Fact]
    public void ACloneKeepsTheSessionForTheIdentityTransform()
    {
        var principal = Create();

        var clone = principal.Clone();

        Assert.Same(Session, GatewaySessionPrincipal.ReadSession(clone));
        Assert.Equal(Expected.Length, clone.Claims.Count());
    }

    [Fact]
    public void WithoutAUnionIdOrRolesThoseClaimsAreAbsentNotEmpty()
    {
        var session = Session with { UnionId = null, LegacyUserId = null, PhoneVerified = false };

        var identity = (ClaimsIdentity)GatewaySessionPrincipal.Create(session, [], GatewaySessionDefaults.AuthenticationScheme).Identity!;

        Assert.Null(identity.FindFirst(GatewayClaimTypes.UnionId));
        Assert.Null(identity.FindFirst(GatewayClaimTypes.LegacyUserId));
        Assert.Null(identity.FindFirst(GatewayClaimTypes.PhoneNumberVerified));
        Assert.Empty(identity.FindAll(ClaimTypes.Role));
        Assert.Equal(5, identity.Claims.Count());
    }

    private static ClaimsPrincipal Create() => GatewaySessionPrincipal.Create(Session, ["staff", "ops"], GatewaySessionDefaults.AuthenticationScheme);

    private static ClaimsIdentity Read(IEnumerable<Claim> claims)
    {
        var list = claims.ToList();
        return Assert.IsAssignableFrom<ClaimsIdentity>(list[0].Subject);
    }

    private static ClaimsIdentity Check(bool condition, ClaimsIdentity identity)
    {
        Assert.True(condition);
        return identity;
    }

    private static ClaimsIdentity Added(ClaimsIdentity identity)
    {
        identity.AddClaim(new Claim("extra", "1"));
        return identity;
    }

    private static ClaimsIdentity Removed(ClaimsIdentity identity)
    {
        Assert.True(identity.TryRemoveClaim(identity.FindFirst(GatewayClaimTypes.LegacyUserId)));
        return identity;
    }

    private static ClaimsIdentity RoundTripped(ClaimsIdentity identity)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            identity.WriteTo(writer);
        }

        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        return new ClaimsIdentity(reader);
    }
}
