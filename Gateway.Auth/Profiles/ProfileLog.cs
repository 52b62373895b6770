using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Profiles;

/// <summary>Person ids and which fields changed; never the values (they are the user's own words and pictures).</summary>
internal static partial class ProfileLog
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Person {PersonId} filled in their profile (nickname: {Nickname}, avatar: {Avatar}).")]
    public static partial void FilledIn(ILogger logger, long personId, bool nickname, bool avatar);
}
