namespace Gateway.Auth.Identity;

// Dapper targets: settable properties tolerate the engines' differing column types (bool vs integer, text dates).
internal sealed class IdentityRow
{
    public long IdentityId { get; set; }

    public long PersonId { get; set; }

    public string? UnionId { get; set; }

    public bool Disabled { get; set; }
}

internal sealed class UnionHolderRow
{
    public long PersonId { get; set; }

    public string? UnionId { get; set; }

    public bool Disabled { get; set; }
}

internal sealed class MergedPersonRow
{
    public string? Phone { get; set; }

    public string? Nickname { get; set; }

    public string? NicknameSource { get; set; }

    public DateTime? NicknameSetAt { get; set; }

    public string? AvatarUrl { get; set; }

    public string? AvatarSource { get; set; }

    public DateTime? AvatarSetAt { get; set; }

    public bool Disabled { get; set; }
}

internal sealed class PersonRow
{
    public long Id { get; set; }

    public string? UnionId { get; set; }

    public bool Disabled { get; set; }

    public string? Phone { get; set; }

    public string? Nickname { get; set; }

    public string? AvatarUrl { get; set; }

    public string? NicknameSource { get; set; }

    public DateTime? NicknameSetAt { get; set; }

    public string? AvatarSource { get; set; }

    public DateTime? AvatarSetAt { get; set; }

    public long? MergedInto { get; set; }

    public DateTime? AnonymisedAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class AppIdentityRow
{
    public string AppId { get; set; } = "";

    public string OpenId { get; set; } = "";

    public string Channel { get; set; } = "";

    public DateTime CreatedAt { get; set; }

    public DateTime LastLoginAt { get; set; }
}
