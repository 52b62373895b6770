using System.Net.Sockets;
using System.Text;

namespace Gateway.Tests.Infrastructure;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for requests HttpClient refuses to send (bad chunks, stalled bodies,
/// malformed request lines). Reads the answer until the server closes the connection.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, string Head, string Body)
    {
        public string? Header(string name) =>
            Head.Split("\r\n").Skip(1).Select(line => line.Split(':', 2)).Where(pair => pair.Length == 2 && pair[0].Trim().Equals(name, StringComparison.OrdinalIgnoreCase))
                .Select(pair => pair[1].Trim()).FirstOrDefault();
    }

    /// <param name="request">Everything up to the point the client goes quiet (headers and any part of the body).</param>
    /// <param name="rest">Sent after <paramref name="pause"/>, if given; a stalled body sends nothing more.</param>
    public static async Task<Answer> SendAsync(Uri server, byte[] request, TimeSpan timeout, byte[]? rest = null, TimeSpan pause = default)
    {
        using var client = new TcpClient();
        using var cancellation = new CancellationTokenSource(timeout);
        await client.ConnectAsync(server.Host, server.Port, cancellation.Token);
        var stream = client.GetStream();
        await stream.WriteAsync(request, cancellation.Token);
        if (rest is not null)
        {
            await Task.Delay(pause, cancellation.Token);
            await stream.WriteAsync(rest, cancellation.Token);
        }

        using var received = new MemoryStream();
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellation.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (Complete(received.ToArray()))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // A reset after the answer (Kestrel closing a connection whose body it stopped reading) ends the read.
        }

        return Parse(received.ToArray());
    }

    public static Task<Answer> SendAsync(Uri server, string request, TimeSpan timeout) =>
        SendAsync(server, Encoding.UTF8.GetBytes(request), timeout);

    private static bool Complete(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var answer = Parse(data);
        if (answer.Header("Content-Length") is { } length)
        {
            return Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
        }

        return answer.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true
            && text.EndsWith("0\r\n\r\n", StringComparison.Ordinal);
    }

    private static Answer Parse(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return new Answer(0, text, "");
        }

        var head = text[..end];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var body = text[(end + 4)..];
        var answer = new Answer(status, head, body);
        return answer.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true ? answer with { Body = Dechunk(body) } : answer;
    }

    private static string Dechunk(string body)
    {
        var result = new StringBuilder();
        var at = 0;
        while (at < body.Length)
        {
            var lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(body[at..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            result.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }

        return result.ToString();
    }
}
