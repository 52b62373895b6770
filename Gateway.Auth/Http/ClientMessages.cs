using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Http;

/// <summary>
/// The end-user text of every error code, in the request's language (ClientMessages.resx in English,
/// ClientMessages.zh-Hans.resx in Simplified Chinese, the default). Call sites name the code; the text a person
/// reads lives in one place, so a code means the same thing in every response and on every page.
/// </summary>
public sealed class ClientMessages(IStringLocalizer<ClientMessages> localizer, IOptions<RequestLocalizationOptions> localization)
{
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    /// <summary>
    /// The request's culture from its feature, not from the thread: the outermost middleware writes errors after
    /// the localization middleware's culture has already been restored.
    /// </summary>
    public CultureInfo CultureOf(HttpContext context) =>
        context.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? localization.Value.DefaultRequestCulture.UICulture;

    /// <summary>
    /// The response body for <paramref name="code"/>: the localized message, and the call site's developer text as
    /// <c>detail</c> when it says more than the code's English message. An unknown code keeps the call site's text.
    /// </summary>
    public ErrorResponse Describe(HttpContext context, string code, string developerText)
    {
        var message = In(CultureOf(context), code);
        if (message is null)
        {
            return new ErrorResponse(code, developerText);
        }

        return new ErrorResponse(code, message, developerText == In(English, code) ? null : developerText);
    }

    /// <summary>The message of <paramref name="code"/> in <paramref name="culture"/>, or null when no resource has the code.</summary>
    public string? In(CultureInfo culture, string code) => Localize(localizer, culture, code);

    /// <summary>Looks a key up in one culture; the localizer reads the thread's UI culture, restored afterwards.</summary>
    internal static string? Localize(IStringLocalizer localizer, CultureInfo culture, string key)
    {
        var previous = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = culture;
        try
        {
            var text = localizer[key];
            return text.ResourceNotFound ? null : text.Value;
        }
        finally
        {
            CultureInfo.CurrentUICulture = previous;
        }
    }
}
