using System.Text;

namespace MtaSts.MailKit.Tests.Delivery;

/// <summary>The protocol-log probe: which reply belongs to STARTTLS, the last reply, and when the whole message has gone out.</summary>
public sealed class SessionLogTests
{
    [Fact]
    public void MultilineReply_LastLineIsTheReply()
    {
        var log = new SessionLog();

        Server(log, "220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n");
        Server(log, "250 STARTTLS\r\n");

        Assert.Equal(new SmtpReply(250, "STARTTLS"), log.LastReply);
        Assert.False(log.SentStartTls);
    }

    [Theory]
    [InlineData("EHLO sender.test\r\n", "250-mx1.example.net Hello sender.test\r\n250 STARTTLS\r\n", "mx1.example.net")]
    [InlineData("EHLO sender.test\r\n", "250 mx2.example.net\r\n", "mx2.example.net")]
    [InlineData("HELO sender.test\r\n", "250 mx3.example.net greets you\r\n", "mx3.example.net")]
    [InlineData("EHLO sender.test\r\n", "502 5.5.1 EHLO not implemented\r\n", null)]
    [InlineData("NOOP\r\n", "250 mx4.example.net OK\r\n", null)]
    public void ServerHelo_IsTheDomainOfTheFirstHelloReply(string command, string reply, string? expected)
    {
        // RFC 5321 §4.1.1.1: ehlo-ok-rsp = "250" ("-" / SP) Domain …; RFC 8460 §4.4 receiving-mx-helo.
        var log = new SessionLog();
        Server(log, "220 banner.example.net ESMTP\r\n");

        Client(log, command);
        Server(log, reply);

        Assert.Equal(expected, log.ServerHelo);
    }

    [Fact]
    public void ServerHelo_AfterStartTls_KeepsTheFirst()
    {
        var log = new SessionLog();
        Client(log, "EHLO sender.test\r\n");
        Server(log, "250-before.example.net\r\n250 STARTTLS\r\n");
        Client(log, "STARTTLS\r\n");
        Server(log, "220 go ahead\r\n");
        Client(log, "EHLO sender.test\r\n");
        Server(log, "250 after.example.net\r\n");

        Assert.Equal("before.example.net", log.ServerHelo);
    }

    [Fact]
    public void StartTls_IsSeenWhenTheClientSendsIt()
    {
        var log = new SessionLog();

        Client(log, "EHLO sender.test\r\n");
        Assert.False(log.SentStartTls);
        Client(log, "STARTTLS\r\n");
        Server(log, "454 4.7.0 TLS not available\r\n");

        Assert.True(log.SentStartTls);
        Assert.Equal(454, log.LastReply?.Code);
    }

    [Theory]
    [InlineData(new[] { "Subject: x\r\n\r\nbody\r\n.\r\n" }, true)]
    [InlineData(new[] { "Subject: x\r\n\r\nbody\r\n", ".\r\n" }, true)] // the terminator in its own write
    [InlineData(new[] { "Subject: x\r\n\r\nbody\r", "\n.", "\r\n" }, true)] // split anywhere
    [InlineData(new[] { ".\r\n" }, true)] // an empty message: the data begins at a line start
    [InlineData(new[] { "Subject: x\r\n\r\n..stuffed\r\n" }, false)] // a dot-stuffed line is data
    [InlineData(new[] { "Subject: x\r\n\r\nbody\r\n" }, false)] // the connection broke before the end
    public void Data_IsCompleteOnlyAfterTheTerminator(string[] writes, bool complete)
    {
        var log = new SessionLog();
        Client(log, "DATA\r\n");
        Server(log, "354 go ahead\r\n");

        foreach (var write in writes)
        {
            Client(log, write);
        }

        Assert.Equal(complete, log.DataComplete);
    }

    [Fact]
    public void Terminator_BeforeThe354_DoesNotCount()
    {
        var log = new SessionLog();

        Client(log, "MAIL FROM:<a@b.test>\r\n.\r\n");

        Assert.False(log.DataComplete);
    }

    private static void Client(SessionLog log, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        log.LogClient(bytes, 0, bytes.Length);
    }

    private static void Server(SessionLog log, string text)
    {
        var bytes = Encoding.ASCII.GetBytes(text);
        log.LogServer(bytes, 0, bytes.Length);
    }
}
