namespace Gateway.IdentityAssertions;

// Each identifier WeChat or the gateway hands out is its own type, so an openid can never be passed, stored or
// asserted where a unionid belongs (docs/security.md, subject confusion): swapping them is a compile error.

/// <summary>The person across every app bound to one WeChat Open Platform account.</summary>
public readonly record struct UnionId
{
    public UnionId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}

/// <summary>The person within one app (one appid): every channel gives the same person a different openid.</summary>
public readonly record struct OpenId
{
    public OpenId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}

/// <summary>A WeChat app: an Official Account, Mini Program, website app or mobile app.</summary>
public readonly record struct AppId
{
    public AppId(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
    }

    public string Value { get; }

    public override string ToString() => Value;
}

/// <summary>The gateway's own id of a person, stable across merges of the identities that lead to it.</summary>
public readonly record struct PersonId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
