using System.Collections.Concurrent;
using LanguageExt;
using MimeKit;
using MtaSts.Functional;
using MtaSts.Functional.Resolver;
using MtaSts.MailKit.Tests.Servers;
using MtaSts.Testing;

namespace MtaSts.MailKit.Tests.Delivery;

/// <summary>RFC 8461 §4.2 and §5 end to end: real STARTTLS sessions with loopback MX servers, MailKit as the client.</summary>
[Collection(MxCollection.Name)]
public sealed class DeliveryTests(MxWorld world)
{
    private static string Enforce(params string[] mx) => Policy("enforce", mx);

    private static string Testing(params string[] mx) => Policy("testing", mx);

    private static string Policy(string mode, string[] mx) =>
        $"version: STSv1\r\nmode: {mode}\r\n{string.Concat(mx.Select(static m => $"mx: {m}\r\n"))}max_age: 86400\r\n";

    [Fact]
    public async Task Enforce_FirstMxBadSecondGood_DeliveredToSecondFirstReported()
    {
        world.Publish("first-bad.test", Enforce("*.mx.test"), MxWorld.Expired, MxWorld.Good);
        var recorder = new ListRecorder();

        var report = await SendAsync("first-bad.test", recorder);

        var delivered = Assert.IsType<DeliveryStatus.Delivered>(report.Status);
        Assert.Equal(MxWorld.Good, delivered.Mx.Host);
        Assert.Collection(
            report.Attempts,
            first =>
            {
                Assert.Equal(MxWorld.Expired, first.Mx.Host);
                Assert.Equal(TlsOutcome.Failed(FailureKind.CertificateExpired), first.Tls.Outcome);
                Assert.Equal(FailureKind.CertificateExpired, Assert.IsType<Decision.Refuse>(first.Decision).Failure);
                Assert.Equal(AttemptOutcome.RefusedAfterTls, first.Outcome);
            },
            second =>
            {
                Assert.Equal(MxWorld.Good, second.Mx.Host);
                Assert.Equal(TlsOutcome.Valid, second.Tls.Outcome);
                Assert.IsType<Decision.Deliver>(second.Decision);
                Assert.Equal(250, second.Reply?.Code);
            });
        Assert.Empty(Received(MxWorld.Expired, "first-bad.test"));
        Assert.Single(Received(MxWorld.Good, "first-bad.test"));
        Assert.Collection(
            recorder.Sessions.Where(static s => s.Policy.PolicyDomain.Value == "first-bad.test"),
            s =>
            {
                Assert.Equal(MxWorld.Expired, s.ReceivingMxHostname);
                Assert.Equal(world.Mx[MxWorld.Expired].Address, s.ReceivingIp);
                Assert.Equal(new[] { new TlsFailureDetail("certificate-expired", "NotTimeValid") }, s.Failures.ToArray());
                Assert.Equal(TlsReportPolicy.Sts, s.Policy.PolicyType);
                Assert.Equal(new[] { "*.mx.test" }, s.Policy.MxHost.ToArray());
                Assert.Equal(new[] { "version: STSv1", "mode: enforce", "mx: *.mx.test", "max_age: 86400" }, s.Policy.PolicyStrings.ToArray());
            },
            s =>
            {
                Assert.Equal(MxWorld.Good, s.ReceivingMxHostname);
                Assert.Equal(MxWorld.Good, s.ReceivingMxHelo); // the name the MX announced in its EHLO reply (SmtpServer's ServerName)
                Assert.True(s.Successful);
            });
    }

    public static TheoryData<string, TlsOutcome, string, string?> BadMx => new()
    {
        { MxWorld.Expired, TlsOutcome.Failed(FailureKind.CertificateExpired), "certificate-expired", "NotTimeValid" },
        { MxWorld.WrongName, TlsOutcome.Failed(FailureKind.CertificateHostMismatch), "certificate-host-mismatch", null },
        { MxWorld.Untrusted, TlsOutcome.Failed(FailureKind.CertificateNotTrusted), "certificate-not-trusted", null },
        { MxWorld.NoStartTls, TlsOutcome.Failed(FailureKind.StartTlsNotSupported), "starttls-not-supported", "starttls-not-offered" },
        { MxWorld.Refuses454, TlsOutcome.Failed(FailureKind.StartTlsNotSupported), "starttls-not-supported", "smtp-starttls-reply-code-454" },
    };

    [Theory]
    [MemberData(nameof(BadMx))]
    public async Task Enforce_BadMx_RefusedWithItsResultType(string mx, TlsOutcome outcome, string resultType, string? reasonCode)
    {
        var domain = "bad-" + mx.Split('.')[0] + ".test";
        world.Publish(domain, Enforce("*.mx.test"), mx);
        var recorder = new ListRecorder();

        var report = await SendAsync(domain, recorder);

        var attempt = Assert.Single(report.Attempts);
        Assert.Equal(outcome, attempt.Tls.Outcome);
        Assert.Equal(AttemptOutcome.RefusedAfterTls, attempt.Outcome);
        Assert.IsType<Decision.Refuse>(attempt.Decision);
        Assert.Equal(DeferReason.NoMxAccepted, Assert.IsType<DeliveryStatus.Deferred>(report.Status).Reason);
        var failure = Assert.Single(Assert.Single(recorder.Sessions).Failures);
        Assert.Equal(resultType, failure.ResultType);
        if (mx == MxWorld.Untrusted)
        {
            // The chain status flags are the reason code: a root nobody trusts, or a chain that ends before one.
            Assert.True(failure.FailureReasonCode is not null && (failure.FailureReasonCode.Contains("UntrustedRoot", StringComparison.Ordinal) || failure.FailureReasonCode.Contains("PartialChain", StringComparison.Ordinal)), failure.FailureReasonCode);
        }
        else
        {
            Assert.Equal(reasonCode, failure.FailureReasonCode);
        }

        Assert.Empty(mx == MxWorld.Refuses454 ? world.Raw454.Messages.Where(m => m.Contains("@" + domain, StringComparison.Ordinal)) : Received(mx, domain).Select(static m => string.Empty));
    }

    [Fact]
    public async Task Enforce_EveryMxBad_DeferredNothingSent()
    {
        world.Publish("all-bad.test", Enforce("*.mx.test"), MxWorld.Expired, MxWorld.WrongName, MxWorld.Untrusted, MxWorld.NoStartTls, MxWorld.Refuses454);
        var raw454Before = world.Raw454.Messages.Count;

        var report = await SendAsync("all-bad.test");

        var deferred = Assert.IsType<DeliveryStatus.Deferred>(report.Status);
        Assert.Equal(DeferReason.NoMxAccepted, deferred.Reason);
        Assert.Equal(
            new[] { MxWorld.Expired, MxWorld.WrongName, MxWorld.Untrusted, MxWorld.NoStartTls, MxWorld.Refuses454 },
            report.Attempts.Map(static a => a.Mx.Host).ToArray());
        Assert.All(report.Attempts, static a => Assert.Equal(AttemptOutcome.RefusedAfterTls, a.Outcome));
        Assert.All(new[] { MxWorld.Expired, MxWorld.WrongName, MxWorld.Untrusted, MxWorld.NoStartTls }, mx => Assert.Empty(Received(mx, "all-bad.test")));
        Assert.Equal(raw454Before, world.Raw454.Messages.Count);
    }

    [Theory]
    [InlineData(MxWorld.Expired, FailureKind.CertificateExpired)]
    [InlineData(MxWorld.Untrusted, FailureKind.CertificateNotTrusted)]
    [InlineData(MxWorld.WrongName, FailureKind.CertificateHostMismatch)]
    [InlineData(MxWorld.NoStartTls, FailureKind.StartTlsNotSupported)]
    public async Task Testing_BadMx_DeliveredAndReported(string mx, FailureKind failure)
    {
        var domain = "testing-" + mx.Split('.')[0] + ".test";
        world.Publish(domain, Testing("*.mx.test"), mx);
        var recorder = new ListRecorder();

        var report = await SendAsync(domain, recorder);

        Assert.Equal(mx, Assert.IsType<DeliveryStatus.Delivered>(report.Status).Mx.Host);
        var attempt = Assert.Single(report.Attempts);
        Assert.Equal(failure, Assert.IsType<Decision.DeliverAndReport>(attempt.Decision).Failure);
        Assert.Single(Received(mx, domain));
        Assert.Equal(failure.ResultType(), Assert.Single(Assert.Single(recorder.Sessions).Failures).ResultType);
    }

    [Fact]
    public async Task Enforce_MxNotInPolicy_NeverConnectedTo()
    {
        world.Publish("unlisted.test", Enforce(MxWorld.Good), MxWorld.Unlisted, MxWorld.Good);
        var recorder = new ListRecorder();
        var before = world.Mx[MxWorld.Unlisted].Sessions;

        var report = await SendAsync("unlisted.test", recorder);

        Assert.Equal(MxWorld.Good, Assert.IsType<DeliveryStatus.Delivered>(report.Status).Mx.Host);
        var skipped = report.Attempts[0];
        Assert.Equal(AttemptOutcome.RefusedBeforeConnecting, skipped.Outcome);
        Assert.Null(skipped.Address);
        Assert.Equal(FailureKind.MxMismatch, Assert.IsType<Decision.Refuse>(skipped.Decision).Failure);
        Assert.Equal(before, world.Mx[MxWorld.Unlisted].Sessions);
        var session = recorder.Sessions[0];
        Assert.Equal(MxWorld.Unlisted, session.ReceivingMxHostname);
        Assert.Null(session.ReceivingIp);
        Assert.Equal("validation-failure", Assert.Single(session.Failures).ResultType);
    }

    [Theory]
    [InlineData(MxWorld.NoStartTls)]
    [InlineData(MxWorld.Untrusted)]
    [InlineData(MxWorld.Refuses454)]
    public async Task NoPolicy_Opportunistic_Delivered(string mx)
    {
        var domain = "nopolicy-" + mx.Split('.')[0] + ".test";
        world.Publish(domain, null, mx);
        var recorder = new ListRecorder();
        var raw454Before = world.Raw454.Messages.Count;

        var report = await SendAsync(domain, recorder);

        Assert.True(report.Policy.IsNone);
        Assert.Equal(mx, Assert.IsType<DeliveryStatus.Delivered>(report.Status).Mx.Host);
        Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.NoPolicy), Assert.Single(report.Attempts).Decision);
        if (mx == MxWorld.Refuses454)
        {
            Assert.Equal(raw454Before + 1, world.Raw454.Messages.Count);
        }
        else
        {
            Assert.Single(Received(mx, domain));
        }

        var session = Assert.Single(recorder.Sessions);
        Assert.Equal(TlsReportPolicy.NoPolicyFound, session.Policy.PolicyType);
        Assert.False(session.Successful); // the TLS outcome is still measured and recorded
    }

    public static TheoryData<string, string, string> DiscoveryFailures => new()
    {
        { "fetch503", "sts-policy-fetch-error", "policy-fetch-http-status" },
        { "html", "sts-policy-invalid", "policy-content-type" },
        { "garbled", "sts-policy-invalid", "policy-syntax" },
        { "untrusted", "sts-webpki-invalid", "policy-host-certificate" },
    };

    [Theory]
    [MemberData(nameof(DiscoveryFailures))]
    public async Task DiscoveryFails_NoCache_OneFailedStsSession_ThenTheMxSessionWithoutPolicy(string kind, string resultType, string reasonCode)
    {
        // RFC 8461 §6 (N-59): a policy fetch failure with a valid TXT record is reportable; RFC 8460 §4.3.2 gives its type.
        var domain = "discovery-" + kind + ".test";
        world.Publish(domain, null, MxWorld.Good);
        var handler = kind switch
        {
            "fetch503" => Loopback.Serve("unavailable", status: 503),
            "html" => Loopback.Serve(Enforce(MxWorld.Good), "text/html"),
            "garbled" => Loopback.Serve("version: STSv1\r\nmode: sometimes\r\n"),
            _ => Loopback.Serve(Enforce(MxWorld.Good)),
        };
        world.Net.Publish(domain, "1", handler, kind == "untrusted" ? world.Net.Untrusted.Leaf("mta-sts." + domain, ["mta-sts." + domain]) : null);
        var recorder = new ListRecorder();

        var report = await SendAsync(domain, recorder);

        Assert.True(report.Policy.IsNone);
        Assert.IsType<DeliveryStatus.Delivered>(report.Status);
        Assert.Collection(
            recorder.Sessions,
            discovery =>
            {
                Assert.Equal((TlsReportPolicy.Sts, domain, 0), (discovery.Policy.PolicyType, discovery.Policy.PolicyDomain.Value, discovery.Policy.PolicyStrings.Count));
                Assert.Equal(string.Empty, discovery.ReceivingMxHostname);
                Assert.Equal([new TlsFailureDetail(resultType, reasonCode)], discovery.Failures.ToArray());
            },
            mx =>
            {
                Assert.Equal((TlsReportPolicy.NoPolicyFound, MxWorld.Good), (mx.Policy.PolicyType, mx.ReceivingMxHostname));
                Assert.True(mx.Successful);
            });
    }

    [Fact]
    public async Task DiscoveryFails_WithCachedPolicy_TheFailureIsRecordedUnderTheCachedPolicy()
    {
        var domain = "discovery-fallback.test";
        world.Publish(domain, Enforce(MxWorld.Good), MxWorld.Good);
        var recorder = new ListRecorder();
        var options = world.ResolverOptions();
        using var resolver = MtaStsResolver.Create(options);
        var sender = new MtaStsSender(resolver, MtaStsSender.MxLookup(options), world.DeliveryOptions(), recorder);
        await sender.SendAsync(Message(domain));

        // A new id whose policy cannot be fetched: the cached enforce policy still applies (N-37), the failure is reported (N-59).
        world.Net.Publish(domain, "2", Loopback.Serve("unavailable", status: 500));
        var report = await sender.SendAsync(Message(domain));

        Assert.True(report.Policy.IsSome);
        var sessions = recorder.Sessions.Skip(1).ToArray();
        Assert.Equal(2, sessions.Length);
        Assert.Equal([new TlsFailureDetail("sts-policy-fetch-error", "policy-fetch-http-status+fallback-to-cached-policy")], sessions[0].Failures.ToArray());
        Assert.Equal(["version: STSv1", "mode: enforce", "mx: " + MxWorld.Good, "max_age: 86400"], sessions[0].Policy.PolicyStrings.ToArray());
        Assert.Equal(sessions[0].Policy, sessions[1].Policy);
        Assert.True(sessions[1].Successful);
    }

    [Fact]
    public async Task Dane_Applies_MtaStsNotApplied()
    {
        // An enforce policy that lists none of the MX hosts would refuse them all; DANE wins (§2, M-06).
        world.Publish("dane.test", Enforce("elsewhere.test"), MxWorld.Unlisted);
        var recorder = new ListRecorder();
        var before = world.Mx[MxWorld.Unlisted].Sessions;

        var report = await SendAsync("dane.test", recorder, new DaneEverywhere());

        Assert.Equal(DeferReason.DaneRequired, Assert.IsType<DeliveryStatus.Deferred>(report.Status).Reason);
        var attempt = Assert.Single(report.Attempts);
        Assert.Equal(Decision.NotApplied.Of(NotAppliedReason.Dane), attempt.Decision);
        Assert.Equal(AttemptOutcome.DaneNotHandled, attempt.Outcome);
        Assert.Empty(recorder.Sessions);
        Assert.Equal(before, world.Mx[MxWorld.Unlisted].Sessions);
    }

    [Fact]
    public async Task Sni_IsTheMxHostName_NotTheAddress()
    {
        world.Publish("sni.test", Enforce(MxWorld.Sni));
        world.Net.Dns.Mx("sni.test", 10, MxWorld.Sni);
        var before = world.RawSni.SniNames.Count;

        var report = await SendAsync("sni.test");

        Assert.IsType<DeliveryStatus.Delivered>(report.Status);
        Assert.Equal(TlsOutcome.Valid, Assert.Single(report.Attempts).Tls.Outcome);
        Assert.Equal([MxWorld.Sni], world.RawSni.SniNames.Skip(before));
    }

    [Fact]
    public async Task Message_ArrivesIntact()
    {
        world.Publish("intact.test", Enforce(MxWorld.Good2), MxWorld.Good2);
        var message = Message("intact.test");
        message.Body = new TextPart("plain") { Text = "Line one\r\n.starts with a dot\r\n..two dots\r\n\r\nend\r\n" };
        using var expected = new MemoryStream();
        await message.WriteToAsync(new MimeKit.FormatOptions { NewLineFormat = NewLineFormat.Dos }, expected);

        var report = await SendAsync("intact.test", message: message);

        Assert.IsType<DeliveryStatus.Delivered>(report.Status);
        var received = Assert.Single(world.Mx[MxWorld.Good2].Messages, static m => m.To.Contains("rcpt@intact.test"));
        // SmtpServer stores the data without the CRLF that RFC 5321 §4.1.1.4 counts in the terminator "CRLF.CRLF".
        byte[] stored = [.. received.Data, (byte)'\r', (byte)'\n'];
        Assert.Equal(expected.ToArray(), stored);
    }

    [Fact]
    public async Task TransientSmtpError_MovesToTheNextMx()
    {
        world.Publish("busy.test", Enforce("*.mx.test"), MxWorld.Busy, MxWorld.Good);

        var report = await SendAsync("busy.test");

        Assert.Equal(MxWorld.Good, Assert.IsType<DeliveryStatus.Delivered>(report.Status).Mx.Host);
        var busy = report.Attempts[0];
        Assert.Equal(AttemptOutcome.TransientFailure, busy.Outcome);
        Assert.Equal(TlsOutcome.Valid, busy.Tls.Outcome);
        Assert.Equal(451, busy.Reply?.Code);
        Assert.Single(Received(MxWorld.Good, "busy.test"));
    }

    [Fact]
    public async Task PermanentSmtpError_StopsWithoutTryingTheNextMx()
    {
        world.Publish("rejects.test", Enforce("*.mx.test"), MxWorld.Rejects, MxWorld.Good);

        var report = await SendAsync("rejects.test");

        Assert.Equal(FailReason.Rejected, Assert.IsType<DeliveryStatus.Failed>(report.Status).Reason);
        Assert.Equal(550, Assert.Single(report.Attempts).Reply?.Code);
        Assert.Empty(Received(MxWorld.Good, "rejects.test"));
    }

    [Fact]
    public async Task StalledMx_AttemptIsBounded_NextMxTried()
    {
        world.Publish("stalled.test", Enforce("*.mx.test"), MxWorld.Silent, MxWorld.Good);
        var options = world.DeliveryOptions();
        options.AttemptTimeout = TimeSpan.FromSeconds(1);

        var report = await SendAsync("stalled.test", delivery: options);

        Assert.Equal(MxWorld.Good, Assert.IsType<DeliveryStatus.Delivered>(report.Status).Mx.Host);
        Assert.Equal(AttemptOutcome.TimedOut, report.Attempts[0].Outcome);
        Assert.True(report.Attempts[0].Tls.Outcome.IsNotNegotiated);
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        world.Publish("cancelled.test", Enforce("*.mx.test"), MxWorld.Good);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync("cancelled.test", cancellationToken: cancelled.Token));
        Assert.Empty(Received(MxWorld.Good, "cancelled.test"));
    }

    [Fact]
    public async Task MixedDomains_FailWithoutNetwork()
    {
        var message = Message("one.test");
        var queries = world.Net.Dns.Queries;

        using var resolver = MtaStsResolver.Create(world.ResolverOptions());
        var sender = new MtaStsSender(resolver, MtaStsSender.MxLookup(world.ResolverOptions()), world.DeliveryOptions());
        var report = await sender.SendAsync(message, null, [new MailboxAddress("a", "a@one.test"), new MailboxAddress("b", "b@two.test")]);

        Assert.Equal(FailReason.InvalidEnvelope, Assert.IsType<DeliveryStatus.Failed>(report.Status).Reason);
        Assert.Equal(queries, world.Net.Dns.Queries);
    }

    private static MimeMessage Message(string domain)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Sender", "sender@sender.test"));
        message.To.Add(new MailboxAddress("Recipient", "rcpt@" + domain));
        message.Subject = "MTA-STS test to " + domain;
        message.MessageId = $"<{domain}@sender.test>";
        message.Date = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = "Hello.\r\n" };
        return message;
    }

    private IEnumerable<(string[] To, byte[] Data)> Received(string mx, string domain) =>
        world.Mx[mx].Messages.Where(m => m.To.Any(t => t.EndsWith("@" + domain, StringComparison.OrdinalIgnoreCase)));

    private async Task<DeliveryReport> SendAsync(string domain, ITlsSessionRecorder? recorder = null, IDaneCheck? dane = null, MimeMessage? message = null, MtaStsDeliveryOptions? delivery = null, CancellationToken cancellationToken = default)
    {
        var options = world.ResolverOptions();
        using var resolver = MtaStsResolver.Create(options);
        var sender = new MtaStsSender(resolver, MtaStsSender.MxLookup(options), delivery ?? world.DeliveryOptions(), recorder, dane);
        return await sender.SendAsync(message ?? Message(domain), cancellationToken: cancellationToken);
    }

    private sealed class ListRecorder : ITlsSessionRecorder
    {
        private readonly ConcurrentQueue<TlsSession> sessions = new();

        public List<TlsSession> Sessions => [.. sessions];

        public ValueTask RecordAsync(TlsSession session, CancellationToken cancellationToken = default)
        {
            sessions.Enqueue(session);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DaneEverywhere : IDaneCheck
    {
        public ValueTask<bool> AppliesAsync(PolicyDomain domain, Seq<MxRecord> mx, CancellationToken cancellationToken = default) => ValueTask.FromResult(true);
    }
}
