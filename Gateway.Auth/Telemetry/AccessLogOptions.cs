namespace Gateway.Auth.Telemetry;

/// <summary>Settings under <c>Gateway:AccessLog</c>.</summary>
public sealed class AccessLogOptions
{
    public const string SectionName = "Gateway:AccessLog";

    /// <summary>
    /// One line per proxied request and per login (category <c>Gateway.AccessLog</c>). Unset, it is on in every
    /// environment but Development, where <c>dotnet run</c> would print a line per request.
    /// </summary>
    public bool? Enabled { get; set; }
}
