using System.Net;
using System.Text;
using System.Text.Json;
using Gateway.IdentityAssertions;
using Gateway.Tests.Infrastructure;

namespace Gateway.Tests.Login;

/// <summary>
/// A person id is a JSON number, and a channel has one name, in every body that carries them: the login answer,
/// <c>GET /auth/session</c>, the management API and the identity assertion the destination receives.
/// </summary>
public sealed class OneNameEverywhereTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private readonly LoginTestbed _bed = fixture.Bed;

    [Theory]
    [InlineData("miniprogram", "mp", "mini_program")]
    [InlineData("app", "app", "mobile_app")]
    public async Task ThePersonIdIsANumberAndTheChannelHasOneName(string flow, string app, string channel)
    {
        var user = _bed.NewUser();
        var code = flow == "miniprogram"
            ? _bed.Sandbox.IssueMiniProgramLoginCode(LoginTestbed.MiniProgram, user)
            : _bed.Sandbox.IssueAppSdkCode(LoginTestbed.MobileApp, user);
        var (login, signedIn) = await _bed.PostAsync($"/auth/wechat/{flow}/{app}/login", new { code });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var token = signedIn.GetProperty("token").GetString()!;
        var personId = NumberOf(signedIn, "personId");

        var (_, session) = await _bed.GetAsync("/auth/session", token);
        var (_, person) = await _bed.ManageAsync(HttpMethod.Get, $"/_gateway/persons/{personId}");
        var (_, echo) = await _bed.GetAsync("/api/consistency", token);

        Assert.Equal(personId, NumberOf(session, "personId"));
        Assert.Equal(channel, session.GetProperty("channel").GetString());
        Assert.Equal(personId, NumberOf(person, "id"));
        Assert.Equal(channel, Assert.Single(person.GetProperty("appIdentities").EnumerateArray()).GetProperty("channel").GetString());
        var assertion = PayloadOf(echo.GetProperty("headers").GetProperty(IdentityHeaders.Assertion)[0].GetString()!);
        Assert.Equal(channel, assertion.GetProperty("chn").GetString());
        // The assertion's claims are strings by its format (docs/identity-assertion.md), like the X-Person-Id header.
        Assert.Equal(personId.ToString(System.Globalization.CultureInfo.InvariantCulture), assertion.GetProperty("pid").GetString());
    }

    private static long NumberOf(JsonElement body, string property)
    {
        var value = body.GetProperty(property);
        Assert.Equal(JsonValueKind.Number, value.ValueKind);
        return value.GetInt64();
    }

    private static JsonElement PayloadOf(string assertion)
    {
        var payload = assertion.Split('.')[1].Replace('-', '+').Replace('_', '/');
        var json = Encoding.UTF8.GetString(Convert.FromBase64String(payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=')));
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
