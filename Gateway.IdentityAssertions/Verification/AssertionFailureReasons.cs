namespace Gateway.IdentityAssertions;

/// <summary>
/// Why an assertion was refused. The verifier checks in the order listed in docs/identity-assertion.md and reports
/// the first failure, so every implementation gives the same reason for the same input.
/// </summary>
public static class AssertionFailureReasons
{
    public const string Missing = "missing";
    public const string Malformed = "malformed";
    public const string AlgorithmNotAllowed = "alg_not_allowed";
    public const string UnknownKey = "unknown_key";
    public const string BadSignature = "bad_signature";
    public const string WrongIssuer = "wrong_issuer";
    public const string WrongAudience = "wrong_audience";
    public const string Expired = "expired";
    public const string NotYetValid = "not_yet_valid";
    public const string WrongMethod = "wrong_method";
    public const string WrongPath = "wrong_path";
    public const string SubjectConfusion = "subject_confusion";
    public const string HeaderMismatch = "header_mismatch";
}
