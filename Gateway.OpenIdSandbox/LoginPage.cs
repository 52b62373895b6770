using System.Net;
using Microsoft.AspNetCore.Http;

namespace Gateway.OpenIdSandbox;

/// <summary>The sandbox's sign-in form, in Simplified Chinese like every page of the product.</summary>
internal static class LoginPage
{
    public static IResult Render(HttpContext context, bool error)
    {
        var returnUrl = WebUtility.HtmlEncode(context.Request.HasFormContentType ? context.Request.Form["returnUrl"].ToString() : context.Request.Query["returnUrl"].ToString());
        var message = error ? "<p class=\"error\" role=\"alert\">用户名或密码错误。</p>" : "";
        var html = $$"""
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>登录 · 沙箱身份提供方</title>
            <style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:3rem auto;padding:0 1rem}label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box}button{margin-top:1rem;width:100%;padding:.6rem}.error{color:#b00020}</style></head>
            <body>
            <h1>沙箱身份提供方</h1>
            <p>测试用户：zhangsan / sandbox（员工），lisi / sandbox（合作伙伴）。</p>
            {{message}}
            <form method="post" action="/account/login">
            <input type="hidden" name="returnUrl" value="{{returnUrl}}">
            <label for="username">用户名</label><input id="username" name="username" autocomplete="username">
            <label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password">
            <button type="submit">登录</button>
            </form>
            </body></html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: error ? StatusCodes.Status401Unauthorized : StatusCodes.Status200OK);
    }
}
