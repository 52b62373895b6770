namespace Gateway.Auth.Login.Pages;

/// <summary>
/// <c>Login:Pages</c>: what a browser sees when a login fails. By default the gateway's own page; an operator
/// brands it with a folder of templates, or sends the browser to the front end's own error screen.
/// </summary>
public sealed class LoginPageOptions
{
    /// <summary>
    /// A folder holding <c>error.html</c> (and optionally <c>error.zh-CN.html</c>, <c>error.en.html</c>) with
    /// <c>{{placeholders}}</c>; see <see cref="PageTemplate.Placeholders"/>.
    /// </summary>
    public string? TemplateDirectory { get; set; }

    /// <summary>
    /// An absolute https URL, or a path on the gateway's own origin, that failed logins redirect to with
    /// <c>?code=</c> (and <c>returnUrl</c>, <c>retryUrl</c> when known) instead of any page.
    /// </summary>
    public string? ErrorRedirectUrl { get; set; }
}
