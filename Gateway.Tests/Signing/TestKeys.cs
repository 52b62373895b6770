namespace Gateway.Tests.Signing;

/// <summary>
/// Fixed keys for tests and docs/test-vectors.json. TEST ONLY: published in this repository, never configure them.
/// </summary>
internal static class TestKeys
{
    public const string PreviousHs256Id = "hs-2026-05";
    public const string ActiveHs256Id = "hs-2026-11";
    public const string Es256Id = "es-2026-11";

    /// <summary>Bytes 0x00..0x1F.</summary>
    public static readonly string PreviousHs256Secret = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray());

    /// <summary>Bytes 0x20..0x3F.</summary>
    public static readonly string ActiveHs256Secret = Convert.ToBase64String(Enumerable.Range(32, 32).Select(i => (byte)i).ToArray());

    public const string Es256PrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgthg8wsn4jexpeGQn
        WcPzrWWkqBJ0t/WOz+xLa1rmblChRANCAARyldGX7z6aCKyK8XYPeyBTD8gTcQQy
        G1U8R2ujhnzVKwSn2HByPwCE+OUOMKKXNR1lZ4HvZEJopeZ7IY3Q3qn/
        -----END PRIVATE KEY-----
        """;

    /// <summary>A P-256 key the gateway never published: what an attacker would sign with.</summary>
    public const string UnpublishedEs256PrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg1YnR66Ko+ZUrEeU4
        1S5jCiUJAiWR5mvvAAI0KAL0IE+hRANCAAQDMstgkrIkn6T6NL6eYJLcdWOgfsvL
        bBbcXid88uY+hpC9CMqsMtNBzeDhIK/qKajb7rrRuvAf7LFCHQ16FLY7
        -----END PRIVATE KEY-----
        """;
}
