using Gateway.Auth.Identity;

namespace Gateway.Tests.Identity;

public sealed class LegacyIdentityOptionsTests
{
    [Fact]
    public void DisabledLegacyAdoptionNeedsNoSql() =>
        Assert.True(new LegacyIdentityOptionsValidator().Validate(null, new LegacyIdentityOptions()).Succeeded);

    [Fact]
    public void EnabledLegacyAdoptionWithoutAnySqlIsRejectedNamingTheSettings()
    {
        var failure = Validate(new LegacyIdentityOptions { Enabled = true });

        Assert.Contains("Identity:Legacy:FindByUnionIdSql or Identity:Legacy:FindByOpenIdSql is required", failure);
    }

    [Theory]
    [InlineData("DELETE FROM users WHERE unionid = @unionId")]
    [InlineData("SELECTuser_id FROM users")]
    [InlineData("UPDATE users SET x = 1; SELECT id FROM users")]
    public void SqlThatIsNotASelectIsRejectedNamingTheSetting(string sql)
    {
        var failure = Validate(new LegacyIdentityOptions { Enabled = true, FindByUnionIdSql = sql });

        Assert.Contains("Identity:Legacy:FindByUnionIdSql must be a single SELECT statement", failure);
    }

    [Fact]
    public void ASecondStatementAfterTheSelectIsRejectedNamingTheSetting()
    {
        var failure = Validate(new LegacyIdentityOptions { Enabled = true, FindByOpenIdSql = "SELECT id FROM users WHERE openid = @openId; DROP TABLE users" });

        Assert.Contains("Identity:Legacy:FindByOpenIdSql must be a single SELECT statement without ';'", failure);
    }

    private static string Validate(LegacyIdentityOptions options)
    {
        var result = new LegacyIdentityOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
