namespace Gateway.Hosting;

/// <summary>
/// <c>dotnet Gateway.dll healthcheck [url]</c>: asks a running gateway's /readyz and exits 0 when it answers 200, i.e. the gateway can serve
/// (database and ephemeral store answer, not shutting down); /healthz is liveness only.
/// The container HEALTHCHECK uses it because the ASP.NET runtime image ships no curl or wget.
/// </summary>
internal static class HealthCheckCommand
{
    public const string Name = "healthcheck";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 1 ? args[1] : "http://127.0.0.1:8080/readyz";
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
        try
        {
            using var response = await client.GetAsync(url);
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or UriFormatException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"{url}: {e.Message}");
            return 1;
        }
    }
}
