using Gateway.Auth.Identity;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Sessions;

/// <summary>Disabling a person ends every session they hold (THREATS 7).</summary>
internal sealed class PersonDisabledSessionRevoker(SessionValidator validator, ILogger<PersonDisabledSessionRevoker> logger) : IPersonDisabledListener
{
    public async Task OnPersonDisabledAsync(PersonView person, CancellationToken cancellationToken)
    {
        await validator.RevokePersonAsync(person.Id, cancellationToken).ConfigureAwait(false);
        SessionLog.PersonSessionsRevoked(logger, person.Id, "person disabled");
    }
}
