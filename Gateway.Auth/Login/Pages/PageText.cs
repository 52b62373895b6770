namespace Gateway.Auth.Login.Pages;

/// <summary>The words of the login pages other than the error messages (PageText.resx, PageText.zh-Hans.resx).</summary>
internal sealed class PageText
{
    public const string ErrorTitle = nameof(ErrorTitle);
    public const string SnapshotTitle = nameof(SnapshotTitle);
    public const string RetryLabel = nameof(RetryLabel);
    public const string CodeLabel = nameof(CodeLabel);
}
