using Gateway.Auth.Identity;
using Gateway.Auth.Login;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Auth.Profiles;

/// <summary>
/// <c>POST /auth/profile {nickname?, avatarUrl?}</c>: the signed-in user's own nickname and avatar, as the
/// chooseAvatar button and the type="nickname" input gave them, stored on the person with source user_fill_in.
/// </summary>
internal static class ProfileEndpoints
{
    public const string Path = "/auth/profile";

    // Generous for a URL of 1024 characters and a nickname; the body limit still applies.
    private const int MaxFieldLength = 2048;

    public static Task SetAsync(HttpContext context)
    {
        var login = context.RequestServices.GetRequiredService<LoginContext>();
        return login.RunJsonAsync(context, async () =>
        {
            var ct = context.RequestAborted;
            var session = await context.RequestServices.GetRequiredService<ILoginSessionReader>().ReadAsync(context, ct)
                ?? throw new LoginException(StatusCodes.Status401Unauthorized, LoginErrorCodes.SessionRequired, "A gateway session is required: log in first.");
            var options = context.RequestServices.GetRequiredService<IOptions<ProfileOptions>>().Value;
            var body = await LoginRequest.ReadAsync(context, login.Options.MaxRequestBodyBytes);
            var nickname = ProfileFillIn.Nickname(body.Optional("nickname", MaxFieldLength), options);
            var avatarUrl = ProfileFillIn.AvatarUrl(body.Optional("avatarUrl", MaxFieldLength), options);
            if (nickname is null && avatarUrl is null)
            {
                throw LoginRequest.Invalid("Send nickname, avatarUrl or both.");
            }

            var person = await login.Directory.SetProfileAsync(session.PersonId, nickname, avatarUrl, ct)
                ?? throw new LoginException(StatusCodes.Status401Unauthorized, LoginErrorCodes.SessionRequired, "The session's person no longer exists: log in again.");
            ProfileLog.FilledIn(login.Logger, person.Id, nickname is not null, avatarUrl is not null);
            await LoginResponses.JsonAsync(context, new ProfileSaved("ok", person.Nickname, person.AvatarUrl), ProfileJsonContext.Default.ProfileSaved);
        });
    }
}
