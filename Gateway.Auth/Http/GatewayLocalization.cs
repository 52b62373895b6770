using System.Globalization;
using Gateway.Auth.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.AspNetCore.Builder;

/// <summary>
/// Pages and client messages speak Simplified Chinese unless the browser or client prefers English
/// (<c>Accept-Language</c>). Only that header decides: a query string or cookie switch would let a link change
/// the language of a login error page.
/// </summary>
public static class GatewayLocalization
{
    public const string DefaultCulture = "zh-CN";

    public static readonly IReadOnlyList<string> SupportedCultures = [DefaultCulture, "en"];

    public static IServiceCollection AddGatewayLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = SupportedCultures.Select(CultureInfo.GetCultureInfo).ToList();
            options.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new AcceptLanguageHeaderRequestCultureProvider()];
        });
        services.TryAddSingleton<ClientMessages>();
        return services;
    }

    /// <summary>Right after the error shape, so every endpoint and middleware after it sees the request's culture.</summary>
    public static IApplicationBuilder UseGatewayLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();
}
