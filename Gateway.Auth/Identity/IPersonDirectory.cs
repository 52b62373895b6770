namespace Gateway.Auth.Identity;

/// <summary>Management view of persons. Ids of persons merged into another resolve to the survivor.</summary>
public interface IPersonDirectory
{
    Task<PersonView?> FindByIdAsync(long personId, CancellationToken cancellationToken = default);

    /// <exception cref="IdentityResolutionException">The unionid is malformed (<see cref="IdentityErrorCodes.InvalidIdentity"/>).</exception>
    Task<PersonView?> FindByUnionIdAsync(string unionId, CancellationToken cancellationToken = default);

    /// <exception cref="IdentityResolutionException">The appid or openid is malformed (<see cref="IdentityErrorCodes.InvalidIdentity"/>).</exception>
    Task<PersonView?> FindByOpenIdAsync(string appId, string openId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Disables or enables the person; null when there is none. After a disable is committed every
    /// <see cref="IPersonDisabledListener"/> is told, so other features (sessions) can act on it.
    /// </summary>
    Task<PersonView?> SetDisabledAsync(long personId, bool disabled, CancellationToken cancellationToken = default);

    /// <summary>Records the person's phone number (a merged person's goes to the survivor); null when there is none.</summary>
    /// <exception cref="IdentityResolutionException">The number is not 1–32 digits with an optional leading '+' (<see cref="IdentityErrorCodes.InvalidIdentity"/>).</exception>
    Task<PersonView?> SetPhoneAsync(long personId, string phone, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the nickname and/or avatar URL the person chose (source <see cref="ProfileSources.UserFillIn"/>); a null
    /// value leaves that field alone. Null when there is no such person. The caller has validated the values.
    /// </summary>
    Task<PersonView?> SetProfileAsync(long personId, string? nickname, string? avatarUrl, CancellationToken cancellationToken = default);

    /// <summary>
    /// PIPL erasure: deletes the person's row, every openid and unionid binding and all profile data (with the persons
    /// merged into it); the id is kept in <c>erased_persons</c> only, so it is never given to anyone else. Idempotent:
    /// an id erased before answers its first erasure again. Null when no person ever had this id. Every
    /// <see cref="IPersonForgottenListener"/> is told afterwards, also on a repeat.
    /// </summary>
    /// <exception cref="PersonForgottenNotPropagatedException">Erased, but a listener failed: repeat the call.</exception>
    Task<ErasedPerson?> EraseAsync(long personId, CancellationToken cancellationToken = default);

    /// <summary>
    /// PIPL anonymisation: keeps the row (ids held downstream stay valid) but removes the unionid, every openid, the
    /// nickname, avatar and phone, and records when. Idempotent. Null when there is no such person (erased ones
    /// included). Every <see cref="IPersonForgottenListener"/> is told afterwards.
    /// </summary>
    /// <exception cref="PersonForgottenNotPropagatedException">Anonymised, but a listener failed: repeat the call.</exception>
    Task<PersonView?> AnonymiseAsync(long personId, CancellationToken cancellationToken = default);
}

public sealed record PersonView(
    long Id,
    string? UnionId,
    bool Disabled,
    string? Phone,
    string? Nickname,
    string? AvatarUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<AppIdentityView> AppIdentities,
    ProfileProvenance? ProfileSources = null,
    DateTimeOffset? AnonymisedAt = null);

/// <summary>An erased person: nothing but the id and when it was erased remains.</summary>
public sealed record ErasedPerson(long Id, DateTimeOffset ErasedAt);

/// <summary>Where <see cref="PersonView.Nickname"/> and <see cref="PersonView.AvatarUrl"/> came from (<see cref="Identity.ProfileSources"/>) and when.</summary>
public sealed record ProfileProvenance(string? NicknameSource, DateTimeOffset? NicknameSetAt, string? AvatarSource, DateTimeOffset? AvatarSetAt);

public sealed record AppIdentityView(string AppId, string OpenId, LoginChannel Channel, DateTimeOffset CreatedAt, DateTimeOffset LastLoginAt);

/// <summary>Told after a person was disabled (committed); register any number as singletons.</summary>
public interface IPersonDisabledListener
{
    Task OnPersonDisabledAsync(PersonView person, CancellationToken cancellationToken);
}

/// <summary>
/// Told after a person was erased or anonymised (committed), and again on each repeated call: whatever was issued to
/// the person (sessions) should end. Register any number as singletons.
/// </summary>
public interface IPersonForgottenListener
{
    Task OnPersonForgottenAsync(long personId, CancellationToken cancellationToken);
}

/// <summary>
/// Told after a person was merged into another (committed): the merged id no longer identifies anyone, so whatever
/// was issued under it (sessions) should end. Register any number as singletons.
/// </summary>
public interface IPersonMergedListener
{
    Task OnPersonMergedAsync(long mergedPersonId, long survivorPersonId, CancellationToken cancellationToken);
}
