using System.Net;
using Dapper;
using Gateway.Auth.Identity;
using Gateway.Auth.Storage.Relational;
using Gateway.Tests.Infrastructure;
using Gateway.Tests.Login;
using Gateway.Tests.Relational;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Identity;

/// <summary>
/// PIPL through the real gateway (docs/identity.md, "PIPL: deleting and anonymising a person"): a person signed in
/// through the sandbox is erased or anonymised on the management listener; their session is refused at once, the
/// database holds none of their WeChat identifiers, their next WeChat login is a new person, and one audit line names
/// the action without an openid or unionid. On SQLite and on MariaDB (the derived classes below).
/// </summary>
public abstract class PersonErasureTests(LoginTestbed bed)
{
    private LoginTestbed Bed { get; } = bed;

    [Fact]
    public async Task ErasingASignedInPersonEndsTheSessionForgetsTheirWeChatIdsAndTheNextLoginIsANewPerson()
    {
        var (user, personId, token) = await SignInAsync();
        var openId = Bed.OpenIdOf(LoginTestbed.MiniProgram, user);
        var unionId = Bed.UnionIdOf(LoginTestbed.MiniProgram, user)!;

        var (erase, erased) = await Bed.ManageAsync(HttpMethod.Delete, $"/_gateway/persons/{personId}");

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(personId, erased.GetProperty("id").GetInt64());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bed.GetAsync("/api/after-erase", token)).Response.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM persons WHERE id = @PersonId OR union_id = @UnionId", new { PersonId = personId, UnionId = unionId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM app_identities WHERE open_id = @OpenId OR person_id = @PersonId", new { OpenId = openId, PersonId = personId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM person_merges WHERE union_id = @UnionId", new { UnionId = unionId }));
        Assert.Equal(HttpStatusCode.NotFound, (await Bed.ManageAsync(HttpMethod.Get, $"/_gateway/persons/{personId}")).Response.StatusCode);

        // Idempotent: a retried erasure answers the first one again.
        var (again, erasedAgain) = await Bed.ManageAsync(HttpMethod.Delete, $"/_gateway/persons/{personId}");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(erased.GetProperty("erasedAt").GetString(), erasedAgain.GetProperty("erasedAt").GetString());

        // The erased person was the newest: SQLite would hand out its id again, were it not kept as erased.
        var (_, next) = await Bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
        Assert.True(next.GetProperty("personId").GetInt64() > personId, $"the next login got person {next.GetProperty("personId")} after erasing {personId}");
        AssertAudited(personId, "erased", openId, unionId, times: 2);
    }

    [Fact]
    public async Task AnonymisingKeepsTheRowWithoutPersonalDataEndsTheSessionAndTheNextLoginIsANewPerson()
    {
        var (user, personId, token) = await SignInAsync();
        var openId = Bed.OpenIdOf(LoginTestbed.MiniProgram, user);
        var unionId = Bed.UnionIdOf(LoginTestbed.MiniProgram, user)!;
        Assert.Equal(HttpStatusCode.OK, (await Bed.PostAsync("/auth/profile", new { nickname = "要被忘记的昵称" }, token)).Response.StatusCode);

        var (anonymise, person) = await Bed.ManageAsync(HttpMethod.Post, $"/_gateway/persons/{personId}/anonymise");

        Assert.Equal(HttpStatusCode.OK, anonymise.StatusCode);
        Assert.Equal(personId, person.GetProperty("id").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, person.GetProperty("unionId").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, person.GetProperty("nickname").ValueKind);
        Assert.Empty(person.GetProperty("appIdentities").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Bed.GetAsync("/api/after-anonymise", token)).Response.StatusCode);
        Assert.Equal(1, await CountAsync(
            "SELECT COUNT(*) FROM persons WHERE id = @PersonId AND union_id IS NULL AND phone IS NULL AND nickname IS NULL AND avatar_url IS NULL AND anonymised_at IS NOT NULL",
            new { PersonId = personId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM persons WHERE union_id = @UnionId", new { UnionId = unionId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM app_identities WHERE open_id = @OpenId OR person_id = @PersonId", new { OpenId = openId, PersonId = personId }));
        Assert.Equal(HttpStatusCode.OK, (await Bed.ManageAsync(HttpMethod.Get, $"/_gateway/persons/{personId}")).Response.StatusCode);

        var (again, anonymisedAgain) = await Bed.ManageAsync(HttpMethod.Post, $"/_gateway/persons/{personId}/anonymise");
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(person.GetProperty("anonymisedAt").GetString(), anonymisedAgain.GetProperty("anonymisedAt").GetString());

        var (_, next) = await Bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
        Assert.NotEqual(personId, next.GetProperty("personId").GetInt64());
        AssertAudited(personId, "anonymised", openId, unionId, times: 2);
    }

    [Fact]
    public async Task ErasingAPersonErasesThePersonsMergedIntoItWhoseRowsStillHeldWhatTheyHad()
    {
        var resolver = Bed.Gateway.Services.GetRequiredService<IIdentityResolver>();
        var unionId = "u" + Guid.NewGuid().ToString("N")[..20];
        var openIdOnly = new LoginIdentity(new AppId("wx_merge_mp"), new OpenId("o" + Guid.NewGuid().ToString("N")[..20]), null, LoginChannel.MiniProgram, Profile: new LoginProfile("合并前的昵称", null));
        var merged = (await resolver.ResolveAsync(openIdOnly)).PersonId.Value;
        var holder = (await resolver.ResolveAsync(new LoginIdentity(new AppId("wx_merge_web"), new OpenId("o" + Guid.NewGuid().ToString("N")[..20]), new UnionId(unionId), LoginChannel.Website))).PersonId.Value;
        Assert.Equal(holder, (await resolver.ResolveAsync(openIdOnly with { UnionId = new UnionId(unionId) })).PersonId.Value);

        var (erase, _) = await Bed.ManageAsync(HttpMethod.Delete, $"/_gateway/persons/{holder}");

        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM persons WHERE id IN (@Merged, @Holder) OR nickname = '合并前的昵称'", new { Merged = merged, Holder = holder }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM person_merges WHERE union_id = @UnionId", new { UnionId = unionId }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM app_identities WHERE open_id = @OpenId", new { OpenId = openIdOnly.OpenId.Value }));
        Assert.Equal(2, await CountAsync("SELECT COUNT(*) FROM erased_persons WHERE person_id IN (@Merged, @Holder)", new { Merged = merged, Holder = holder }));
        Assert.Equal(HttpStatusCode.OK, (await Bed.ManageAsync(HttpMethod.Delete, $"/_gateway/persons/{merged}")).Response.StatusCode);
        Assert.NotEqual(holder, (await resolver.ResolveAsync(openIdOnly with { UnionId = new UnionId(unionId) })).PersonId.Value);
    }

    [Theory]
    [InlineData("DELETE", "/_gateway/persons/987654321")]
    [InlineData("POST", "/_gateway/persons/987654321/anonymise")]
    public async Task AnUnknownPersonIsA404WithACode(string method, string path)
    {
        var (response, body) = await Bed.ManageAsync(new HttpMethod(method), path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("person_not_found", body.GetProperty("code").GetString());
        Assert.Contains(Bed.Logs.Lines, line => line.StartsWith("Gateway.Audit ", StringComparison.Ordinal) && line.Contains("person 987654321", StringComparison.Ordinal) && line.Contains("(no such person)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("DELETE", "")]
    [InlineData("POST", "/anonymise")]
    public async Task WithoutTheManagementKeyOrOnThePublicListenerNothingIsForgotten(string method, string suffix)
    {
        var (_, personId, token) = await SignInAsync();
        var path = $"/_gateway/persons/{personId}{suffix}";

        using var withoutKey = await Bed.Gateway.Management.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        using var wrongKey = new HttpRequestMessage(new HttpMethod(method), path);
        wrongKey.Headers.Authorization = new("Bearer", "not-the-management-key-0123456789");
        using var withWrongKey = await Bed.Gateway.Management.SendAsync(wrongKey);
        using var onPublic = new HttpRequestMessage(new HttpMethod(method), path);
        onPublic.Headers.Authorization = new("Bearer", GatewayInstance.ManagementApiKey);
        using var throughPublic = await Bed.Api.SendAsync(onPublic);

        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, withWrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, throughPublic.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Bed.GetAsync("/api/still-here", token)).Response.StatusCode);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM app_identities WHERE person_id = @PersonId", new { PersonId = personId }));
    }

    private async Task<(string User, long PersonId, string Token)> SignInAsync()
    {
        var user = Bed.NewUser();
        var (response, body) = await Bed.MiniProgramLoginAsync("mp", LoginTestbed.MiniProgram, user);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(Bed.UnionIdOf(LoginTestbed.MiniProgram, user));
        var token = body.GetProperty("token").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await Bed.GetAsync("/api/before", token)).Response.StatusCode);
        return (user, body.GetProperty("personId").GetInt64(), token);
    }

    /// <summary>Read from the gateway's own database, not through its API.</summary>
    private Task<long> CountAsync(string sql, object parameters) =>
        Bed.Gateway.Services.GetRequiredService<IRelationalStore>()
            .ExecuteAsync((c, ct) => c.ExecuteScalarAsync<long>(new CommandDefinition(sql, parameters, cancellationToken: ct)));

    private void AssertAudited(long personId, string action, string openId, string unionId, int times)
    {
        var audit = Bed.Logs.Lines.Where(line => line.StartsWith("Gateway.Audit ", StringComparison.Ordinal)).ToList();
        var lines = audit.Where(line => line.Contains($"person {personId} {action} (done)", StringComparison.Ordinal)).ToList();
        Assert.Equal(times, lines.Count);
        Assert.All(lines, line => Assert.Matches("trace [0-9a-f]{32}", line));
        Assert.All(lines, line => Assert.Contains("by the management key from 127.0.0.1", line));
        Assert.All(audit, line => Assert.DoesNotContain(openId, line));
        Assert.All(audit, line => Assert.DoesNotContain(unionId, line));
    }
}

public sealed class SqlitePersonErasureTests(SqlitePersonErasureTests.Fixture fixture)
    : PersonErasureTests(fixture.Bed), IClassFixture<SqlitePersonErasureTests.Fixture>
{
    /// <summary>One testbed whose gateway keeps its identities in a SQLite file of its own.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private readonly SqliteTestDatabase _database = new();

        public LoginTestbed Bed { get; private set; } = null!;

        public async Task InitializeAsync() => Bed = await LoginTestbed.StartAsync(new Dictionary<string, string?>
        {
            ["Storage:Relational:Provider"] = _database.Provider,
            ["Storage:Relational:ConnectionString"] = _database.ConnectionString,
        });

        public async Task DisposeAsync()
        {
            await Bed.DisposeAsync();
            await _database.DisposeAsync();
        }
    }
}

public sealed class MariaDbPersonErasureTests(LoginFixture fixture) : PersonErasureTests(fixture.Bed), IClassFixture<LoginFixture>;
