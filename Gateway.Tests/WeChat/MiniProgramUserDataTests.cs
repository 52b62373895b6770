using System.Security.Cryptography;
using System.Text;
using Gateway.Auth.WeChat;
using Gateway.WeChatSandbox;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.WeChat;

public sealed class MiniProgramUserDataTests : IAsyncLifetime
{
    private WeChatTestbed _bed = null!;
    private IServiceProvider _instance = null!;

    public async Task InitializeAsync()
    {
        _bed = await WeChatTestbed.StartAsync();
        _instance = _bed.NewInstance();
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private string OpenId(string appId = WeChatTestbed.TwoStep) => _bed.Sandbox.OpenIdOf(appId, "xiaoming");

    /// <summary>wx.login then code2session through the gateway's client, as the login endpoint does.</summary>
    private async Task<string> LogInAsync(string appId = WeChatTestbed.TwoStep, string key = "twostep") =>
        (await _instance.GetRequiredService<WeChatApiClient>().Code2SessionAsync(
            _bed.App(_instance, key), _bed.Sandbox.IssueMiniProgramLoginCode(appId, "xiaoming"))).SessionKey;

    [Fact]
    public async Task UserDataDecryptsToTheUnionIdWithTheCurrentSessionKey()
    {
        var sessionKey = await LogInAsync();
        var data = _bed.Sandbox.EncryptUserData(WeChatTestbed.TwoStep, "xiaoming");

        var user = MiniProgramUserData.Decrypt(sessionKey, data.EncryptedData, data.Iv, WeChatTestbed.TwoStep, OpenId(), data.RawData, data.Signature);

        Assert.Equal(_bed.Sandbox.UnionIdOf(WeChatTestbed.TwoStep, "xiaoming"), user.UnionId);
        Assert.Equal(OpenId(), user.OpenId);
        Assert.Equal(WeChatTestbed.TwoStep, user.WatermarkAppId);
    }

    [Fact]
    public async Task DataEncryptedBeforeALaterLoginFailsToDecrypt()
    {
        await LogInAsync();
        var old = _bed.Sandbox.EncryptUserData(WeChatTestbed.TwoStep, "xiaoming");
        var rotated = await LogInAsync();

        var error = Assert.Throws<UserDataException>(() =>
            MiniProgramUserData.Decrypt(rotated, old.EncryptedData, old.Iv, WeChatTestbed.TwoStep, OpenId(), old.RawData, old.Signature));

        Assert.Equal(UserDataError.DecryptFailed, error.Error);
    }

    [Fact]
    public async Task TamperedCipherTextFailsToDecrypt()
    {
        var sessionKey = await LogInAsync();
        var data = _bed.Sandbox.EncryptUserData(WeChatTestbed.TwoStep, "xiaoming");
        var bytes = Convert.FromBase64String(data.EncryptedData);
        bytes[^20] ^= 0x5a;

        var error = Assert.Throws<UserDataException>(() =>
            MiniProgramUserData.Decrypt(sessionKey, Convert.ToBase64String(bytes), data.Iv, WeChatTestbed.TwoStep, OpenId()));

        Assert.Equal(UserDataError.DecryptFailed, error.Error);
    }

    [Fact]
    public void AWrongKeyThatPassesPaddingStillFailsOnTheJson()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        var iv = RandomNumberGenerator.GetBytes(16);
        using var aes = Aes.Create();
        aes.Key = key;
        var garbage = aes.EncryptCbc(RandomNumberGenerator.GetBytes(40), iv, PaddingMode.PKCS7);

        var error = Assert.Throws<UserDataException>(() =>
            MiniProgramUserData.Decrypt(Convert.ToBase64String(key), Convert.ToBase64String(garbage), Convert.ToBase64String(iv), WeChatTestbed.TwoStep, "any"));

        Assert.Equal(UserDataError.DecryptFailed, error.Error);
    }

    [Fact]
    public async Task DataWatermarkedForAnotherAppIsRejected()
    {
        var otherKey = await LogInAsync(WeChatTestbed.MiniProgram, "mp");
        var other = _bed.Sandbox.EncryptUserData(WeChatTestbed.MiniProgram, "xiaoming");

        var error = Assert.Throws<UserDataException>(() =>
            MiniProgramUserData.Decrypt(otherKey, other.EncryptedData, other.Iv, WeChatTestbed.TwoStep, OpenId(WeChatTestbed.MiniProgram)));

        Assert.Equal(UserDataError.WatermarkMismatch, error.Error);
    }

    [Fact]
    public async Task TamperedRawDataFailsTheSignature()
    {
        var sessionKey = await LogInAsync();
        var data = _bed.Sandbox.EncryptUserData(WeChatTestbed.TwoStep, "xiaoming");

        var error = Assert.Throws<UserDataException>(() => MiniProgramUserData.Decrypt(
            sessionKey, data.EncryptedData, data.Iv, WeChatTestbed.TwoStep, OpenId(), data.RawData.Replace("小明", "小黑"), data.Signature));

        Assert.Equal(UserDataError.SignatureInvalid, error.Error);
    }

    [Fact]
    public void SignatureMatchesWeChatsOfficialTestVector()
    {
        const string rawData = "{\"nickName\":\"Band\",\"gender\":1,\"language\":\"zh_CN\",\"city\":\"Guangzhou\",\"province\":\"Guangdong\",\"country\":\"CN\",\"avatarUrl\":\"http://wx.qlogo.cn/mmopen/vi_32/1vZvI39NWFQ9XM4LtQpFrQJ1xlgZxx3w7bQxKARol6503Iuswjjn6nIGBiaycAjAtpujxyzYsrztuuICqIM5ibXQ/0\"}";

        MiniProgramUserData.VerifySignature("HyVFkGl5F5OQWJZZaNzBBg==", rawData, "75e81ceda165f4ffa64f4068af58c64b8f54b88c");
        var error = Assert.Throws<UserDataException>(() =>
            MiniProgramUserData.VerifySignature("HyVFkGl5F5OQWJZZaNzBBg==", rawData, "75e81ceda165f4ffa64f4068af58c64b8f54b88d"));
        Assert.Equal(UserDataError.SignatureInvalid, error.Error);
    }

    [Fact]
    public async Task PlusSignsTurnedIntoSpacesByFormDecodingAreRepaired()
    {
        var sessionKey = await LogInAsync();
        EncryptedUserData data;
        do
        {
            data = _bed.Sandbox.EncryptUserData(WeChatTestbed.TwoStep, "xiaoming");
        }
        while (!data.EncryptedData.Contains('+'));

        var user = MiniProgramUserData.Decrypt(sessionKey, data.EncryptedData.Replace('+', ' '), data.Iv.Replace('+', ' '), WeChatTestbed.TwoStep, OpenId());

        Assert.Equal(OpenId(), user.OpenId);
    }

    [Theory]
    [InlineData("", "AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("not*base64", "AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", "AAAA")]
    [InlineData("AAAAAAAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAAAAAAAAA==")]
    public void MalformedInputIsBadInputBeforeAnyDecryption(string encryptedData, string iv)
    {
        var error = Assert.Throws<UserDataException>(() =>
            MiniProgramUserData.Decrypt("HyVFkGl5F5OQWJZZaNzBBg==", encryptedData, iv, WeChatTestbed.TwoStep, "any"));

        Assert.Equal(UserDataError.BadInput, error.Error);
    }

    [Fact]
    public void OversizedEncryptedDataIsBadInput()
    {
        var error = Assert.Throws<UserDataException>(() => MiniProgramUserData.Decrypt(
            "HyVFkGl5F5OQWJZZaNzBBg==", new string('A', MiniProgramUserData.MaxEncryptedDataLength + 4), "AAAAAAAAAAAAAAAAAAAAAA==", WeChatTestbed.TwoStep, "any"));

        Assert.Equal(UserDataError.BadInput, error.Error);
        Assert.DoesNotContain(Encoding.UTF8.GetString(Convert.FromBase64String("HyVFkGl5F5OQWJZZaNzBBg==")), error.Message);
    }
}
