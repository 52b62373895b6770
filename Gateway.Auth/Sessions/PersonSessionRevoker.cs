using Gateway.Auth.Identity;
using Microsoft.Extensions.Logging;

namespace Gateway.Auth.Sessions;

/// <summary>
/// Disabling a person ends every session they hold (docs/security.md §7); so does merging a person into another, whose
/// sessions were issued under an id that no longer identifies anyone (the person logs in again as the survivor); so does
/// erasing or anonymising a person (PIPL).
/// </summary>
internal sealed class PersonSessionRevoker(SessionValidator validator, ILogger<PersonSessionRevoker> logger)
    : IPersonDisabledListener, IPersonMergedListener, IPersonForgottenListener
{
    public async Task OnPersonDisabledAsync(PersonView person, CancellationToken cancellationToken)
    {
        await validator.RevokePersonAsync(person.Id, cancellationToken);
        SessionLog.PersonSessionsRevoked(logger, person.Id, "person disabled");
    }

    public async Task OnPersonForgottenAsync(long personId, CancellationToken cancellationToken)
    {
        await validator.RevokePersonAsync(personId, cancellationToken);
        SessionLog.PersonSessionsRevoked(logger, personId, "person erased or anonymised");
    }

    public async Task OnPersonMergedAsync(long mergedPersonId, long survivorPersonId, CancellationToken cancellationToken)
    {
        await validator.RevokePersonAsync(mergedPersonId, cancellationToken);
        SessionLog.PersonSessionsRevoked(logger, mergedPersonId, "person merged");
    }
}
