using System.Text;
using MailKit;

namespace MtaSts.MailKit;

/// <summary>
/// MailKit's protocol log used as a probe (it sees the SMTP dialogue above TLS): whether STARTTLS was
/// sent (so a failing reply is the STARTTLS answer, not the greeting's or EHLO's), the last complete
/// reply, and whether the whole message was sent (after that, a broken connection may still have delivered it).
/// </summary>
internal sealed class SessionLog : IProtocolLogger
{
    private readonly StringBuilder serverLine = new();
    private readonly byte[] tail = new byte[5];
    private int tailLength;
    private bool inData;
    private bool awaitingHello;

    public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

    /// <summary>The client sent STARTTLS.</summary>
    public bool SentStartTls { get; private set; }

    /// <summary>The client sent the end of the message data (<c>CRLF.CRLF</c> after a 354 reply).</summary>
    public bool DataComplete { get; private set; }

    /// <summary>The last complete reply read.</summary>
    public SmtpReply? LastReply { get; private set; }

    /// <summary>
    /// The domain the server announced in its first reply to EHLO (or HELO), before any STARTTLS: RFC 5321 §4.1.1.1
    /// <c>"250" ("-" / SP) Domain …</c>; the TLSRPT <c>receiving-mx-helo</c> (RFC 8460 §4.4). Null until seen.
    /// </summary>
    public string? ServerHelo { get; private set; }

    public void LogConnect(Uri uri)
    {
    }

    public void LogClient(byte[] buffer, int offset, int count)
    {
        var span = buffer.AsSpan(offset, count);
        if (!inData)
        {
            if (span.StartsWith("STARTTLS"u8))
            {
                SentStartTls = true;
            }

            awaitingHello = ServerHelo is null && (span.StartsWith("EHLO "u8) || span.StartsWith("HELO "u8));

            return;
        }

        foreach (var b in span)
        {
            if (tailLength == tail.Length)
            {
                tail.AsSpan(1).CopyTo(tail);
                tailLength--;
            }

            tail[tailLength++] = b;
        }

        if (tailLength == tail.Length && tail.AsSpan().SequenceEqual("\r\n.\r\n"u8))
        {
            DataComplete = true;
            inData = false;
        }
    }

    public void LogServer(byte[] buffer, int offset, int count)
    {
        foreach (var b in buffer.AsSpan(offset, count))
        {
            if (b == (byte)'\n')
            {
                Complete(serverLine.ToString().TrimEnd('\r'));
                serverLine.Clear();
            }
            else
            {
                serverLine.Append((char)b);
            }
        }
    }

    public void Dispose()
    {
    }

    private void Complete(string line)
    {
        if (awaitingHello)
        {
            // The first line of the EHLO/HELO reply: "250-" or "250 " then the server's Domain (RFC 5321 §4.1.1.1).
            awaitingHello = false;
            if (line.Length > 4 && line.StartsWith("250", StringComparison.Ordinal) && line[3] is '-' or ' ')
            {
                var rest = line.AsSpan(4);
                var end = rest.IndexOf(' ');
                ServerHelo = (end < 0 ? rest : rest[..end]).ToString() is { Length: > 0 } domain ? domain : null;
            }
        }

        // RFC 5321 §4.2: "ddd text" ends a reply, "ddd-text" continues it.
        if (line.Length < 3 || !char.IsAsciiDigit(line[0]) || !char.IsAsciiDigit(line[1]) || !char.IsAsciiDigit(line[2]) || (line.Length > 3 && line[3] != ' '))
        {
            return;
        }

        var code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        LastReply = new SmtpReply(code, line.Length > 4 ? line[4..] : string.Empty);
        if (code == 354)
        {
            inData = true;
            tail.AsSpan().Fill(0);
            tailLength = 2;
            tail[0] = (byte)'\r';
            tail[1] = (byte)'\n'; // the data starts at a line beginning, so an empty body ends in ".\r\n" right away
        }
    }
}
