using System.Net;
using System.Text;
using Gateway.Auth.Login;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Login;

/// <summary>
/// Two properties of return URLs, over seeded random inputs. Whatever protected URL the gateway redirects to the
/// login from, the start endpoint accepts it and the login lands back on exactly that URL. And whatever the start
/// endpoint accepts is printable ASCII and stays on this origin or an allowed one, however often it is decoded.
/// </summary>
public sealed class ReturnUrlPropertyTests(LoginFixture fixture) : IClassFixture<LoginFixture>
{
    private const int Seed = 4242;

    /// <summary>Characters a path or query may carry literally; the rest is percent-encoded by the generator.</summary>
    private const string Literal = "abcXYZ019-_~!$&'()*+,;=:@";

    /// <summary>
    /// Characters that have bitten parsers: encoded separators, controls, look-alikes, bidi marks, emoji. Not NUL:
    /// Kestrel refuses %00 in a path with 400 before the gateway sees the request, so no redirect is ever built.
    /// </summary>
    private static readonly string[] Awkward = [" ", "\\", "/", "?", "#", "%", "\r\n", "\t", "é", "你好", "／", "∕", "。", "\u202e", "\u200f", "🐼", "\"", "<>", "^`{|}", "+", "&", "="];

    private readonly LoginTestbed _bed = fixture.Bed;

    [Fact]
    public async Task EveryLoginRedirectTheGatewayBuildsLandsBackOnTheSameResource()
    {
        var random = new Random(Seed);
        for (var i = 0; i < 25; i++)
        {
            var protectedUrl = "/pages/" + Segment(random) + "/" + Segment(random) + "?" + Segment(random) + "=" + Segment(random) + "&q=" + Segment(random);
            var browser = _bed.NewBrowser();

            var refused = await browser.GetAsync(protectedUrl, request => request.Headers.Accept.ParseAdd("text/html"));
            Assert.True(refused.StatusCode == HttpStatusCode.Redirect, $"#{i} {protectedUrl}: {refused.StatusCode}");
            var sent = refused.RequestMessage!.RequestUri!.PathAndQuery;
            var callback = await browser.LogInAsync(refused.Headers.Location!.OriginalString, "alice");

            Assert.True(callback.StatusCode == HttpStatusCode.Redirect, $"#{i} {protectedUrl}: {callback.StatusCode} {await callback.Content.ReadAsStringAsync()}");
            Assert.Equal(sent, callback.Headers.Location!.OriginalString);
            var landed = await browser.GetAsync(callback.Headers.Location.OriginalString);
            Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            Assert.EndsWith(sent.Split('?')[0], landed.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void EveryAcceptedReturnUrlIsAsciiAndStaysOnAnAllowedOrigin()
    {
        var policy = new ReturnUrlPolicy(Options.Create(new LoginOptions { PublicBaseUrl = LoginTestbed.PublicBaseUrl, AllowedReturnOrigins = [LoginTestbed.ShopOrigin] }));
        var allowed = new[] { new Uri(LoginTestbed.PublicBaseUrl), new Uri(LoginTestbed.ShopOrigin) }.Select(u => u.GetLeftPart(UriPartial.Authority)).ToHashSet();
        var random = new Random(Seed + 1);
        var accepted = 0;
        for (var i = 0; i < 5000; i++)
        {
            var candidate = Candidate(random);
            if (!policy.TryValidate(candidate, out var returnUrl))
            {
                continue;
            }

            accepted++;
            Assert.True(returnUrl.All(c => c is > ' ' and < '\x7f'), $"{candidate} → {returnUrl}");
            for (var decoded = returnUrl; ; decoded = Uri.UnescapeDataString(decoded))
            {
                var target = new Uri(new Uri(LoginTestbed.PublicBaseUrl), decoded.Replace('\\', '/'));
                Assert.True(allowed.Contains(target.GetLeftPart(UriPartial.Authority)), $"{candidate} → {returnUrl}, decoded {decoded} leaves for {target}");
                if (Uri.UnescapeDataString(decoded) == decoded)
                {
                    break;
                }
            }
        }

        Assert.InRange(accepted, 100, 4900);
    }

    private static string Segment(Random random)
    {
        var text = new StringBuilder();
        for (var n = random.Next(1, 6); n > 0; n--)
        {
            text.Append(random.Next(3) == 0 ? Awkward[random.Next(Awkward.Length)] : Literal[random.Next(Literal.Length)].ToString());
        }

        // Percent-encodes what is not literal, as a browser does, keeping the literal sub-delimiters as they are.
        return string.Concat(text.ToString().EnumerateRunes().Select(r => r.IsAscii && Literal.Contains((char)r.Value) ? r.ToString() : Uri.EscapeDataString(r.ToString())));
    }

    private static string Candidate(Random random)
    {
        string[] starts = ["/", "//", "/\\", "https://", "http://", "https:", "HTTPS://SHOP.EXAMPLE.COM", "https://shop.example.com", LoginTestbed.PublicBaseUrl, "https://evil.example", "javascript:", "%2F", ""];
        string[] pieces = ["/", "\\", "%2F", "%2f", "%5C", "%252F", "%25", "%09", "%0d%0a", "%20", " ", "@", ":", ".", "..", "evil.example", "shop.example.com", "?", "#", "／", "。", "é", "%E2%80%AE", "%C3%A9", "a", "1", "&", "="];
        var text = new StringBuilder(starts[random.Next(starts.Length)]);
        for (var n = random.Next(0, 8); n > 0; n--)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        return text.ToString();
    }
}
