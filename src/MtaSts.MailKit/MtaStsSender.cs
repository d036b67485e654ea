using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using LanguageExt;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using MtaSts.Functional;
using MtaSts.Functional.Lifecycle;
using MtaSts.Functional.Resolver;

namespace MtaSts.MailKit;

/// <summary>Sends a message to the recipients of one domain under its MTA-STS policy (RFC 8461 §4, §5).</summary>
public interface IMtaStsSender
{
    /// <summary>
    /// Resolves the recipient domain's policy, looks up its MX records, and tries them in preference
    /// order: an MX the policy refuses is skipped before connecting; each other one gets STARTTLS
    /// (required under <c>enforce</c> and <c>testing</c>, opportunistic without a policy), its certificate
    /// checked for the MX host name, and the core's decision after TLS. The message is delivered at most once.
    /// </summary>
    /// <param name="message">The message, sent as it is.</param>
    /// <param name="sender">The envelope sender; the message's sender or first From address when null.</param>
    /// <param name="recipients">The envelope recipients, all in one domain; the message's To, Cc and Bcc addresses when null.</param>
    /// <param name="cancellationToken">Stops the delivery (an <see cref="OperationCanceledException"/>, the only exception for anything but a programming error).</param>
    /// <returns>Every attempt and the final status; network, TLS and policy problems are in it, never thrown.</returns>
    Task<DeliveryReport> SendAsync(MimeMessage message, MailboxAddress? sender = null, IEnumerable<MailboxAddress>? recipients = null, CancellationToken cancellationToken = default);
}

/// <summary>
/// The MailKit delivery: a thin sandwich (STYLE rule 7) — read (resolver, DNS), decide
/// (<see cref="Enforcement.Candidates"/>, <see cref="Enforcement.Enforce(Option{Policy}, string, TlsOutcome, bool)"/>),
/// act (one <see cref="SmtpClient"/> per attempt), record (<see cref="ITlsSessionRecorder"/>).
/// </summary>
public sealed partial class MtaStsSender : IMtaStsSender
{
    private readonly IMtaStsResolver resolver;
    private readonly IMxLookup dns;
    private readonly MtaStsDeliveryOptions options;
    private readonly ITlsSessionRecorder recorder;
    private readonly IDaneCheck dane;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly DeliveryTrust trust;

    /// <summary>Creates the sender from its parts (as <c>AddMtaStsMailKit</c> does).</summary>
    /// <param name="resolver">The policy lookup.</param>
    /// <param name="dns">The MX and address lookups (<see cref="MxLookup(MtaStsOptions)"/> for the resolver's DNS settings).</param>
    /// <param name="options">The delivery options.</param>
    /// <param name="recorder">Where TLS sessions are recorded for TLSRPT; nowhere when null.</param>
    /// <param name="dane">Whether DANE governs a domain; never when null.</param>
    /// <param name="time">The clock for session times; the system's when null.</param>
    /// <param name="logger">The log.</param>
    public MtaStsSender(IMtaStsResolver resolver, IMxLookup dns, MtaStsDeliveryOptions options, ITlsSessionRecorder? recorder = null, IDaneCheck? dane = null, TimeProvider? time = null, ILogger<MtaStsSender>? logger = null)
    {
        this.resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        this.dns = dns ?? throw new ArgumentNullException(nameof(dns));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        this.recorder = recorder ?? NoTlsSessionRecorder.Instance;
        this.dane = dane ?? NoDane.Instance;
        this.time = time ?? TimeProvider.System;
        this.logger = (ILogger?)logger ?? NullLogger.Instance;
        trust = new DeliveryTrust(options.TrustAnchors, options.CheckCertificateRevocation);
    }

    /// <summary>MX and address lookups with the resolver's DNS settings (its name servers, timeout, retries; CNAMEs followed).</summary>
    /// <param name="options">The resolver options.</param>
    /// <returns>The lookup port.</returns>
    public static IMxLookup MxLookup(MtaStsOptions options) => new ResolverMxLookup(new DnsDiscovery(options));

    /// <inheritdoc/>
    public async Task<DeliveryReport> SendAsync(MimeMessage message, MailboxAddress? sender = null, IEnumerable<MailboxAddress>? recipients = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        sender ??= message.Sender ?? message.From.Mailboxes.FirstOrDefault();
        var to = (recipients ?? message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes)).ToList();
        var domains = to.Select(static r => r.Domain).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (sender is null || domains.Count != 1)
        {
            var why = sender is null ? "no envelope sender" : domains.Count == 0 ? "no recipients" : $"recipients in {domains.Count} domains: {string.Join(", ", domains)}";
            return new DeliveryReport(string.Join(",", domains), Option<CachedPolicy>.None, Seq<DeliveryAttempt>.Empty, new DeliveryStatus.Failed(FailReason.InvalidEnvelope, why));
        }

        var domainText = domains[0];
        var parsed = PolicyDomain.Parse(domainText);
        if (parsed.IsLeft)
        {
            var error = parsed.Match(Right: static _ => string.Empty, Left: static e => e.ToString());
            return new DeliveryReport(domainText, Option<CachedPolicy>.None, Seq<DeliveryAttempt>.Empty, new DeliveryStatus.Failed(FailReason.InvalidDomain, error));
        }

        var domain = parsed.Match(Right: static d => d, Left: static _ => throw new System.Diagnostics.UnreachableException());
        var resolution = await resolver.ResolveAsync(domain, cancellationToken).ConfigureAwait(false);
        var walk = new Walk(this, message, sender, to, resolution);
        return await walk.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1, EventName = "TlsSessionNotRecorded", Level = LogLevel.Warning, Message = "TLS session with {Mx} for {Domain} not recorded for TLSRPT")]
    private static partial void LogNotRecorded(ILogger logger, Exception exception, string mx, string domain);

    [LoggerMessage(EventId = 2, EventName = "MtaStsAttempt", Level = LogLevel.Information, Message = "{Domain}: {Mx} ({Address}): {Outcome}; TLS {Tls}; {Decision}")]
    private static partial void LogAttempt(ILogger logger, string domain, string mx, IPAddress? address, AttemptOutcome outcome, TlsResult tls, Decision decision);

    /// <summary>One delivery's walk over the candidates.</summary>
    private sealed class Walk(MtaStsSender owner, MimeMessage message, MailboxAddress sender, List<MailboxAddress> recipients, Resolution resolution)
    {
        private readonly List<DeliveryAttempt> attempts = [];

        private PolicyDomain Domain => resolution.Domain;

        public async Task<DeliveryReport> RunAsync(CancellationToken cancellationToken)
        {
            // RFC 8461 §6, RFC 8460 §4.3.2: a reportable discovery failure is one failed session of this delivery.
            await DiscoverySessions.Session(resolution, owner.time.GetUtcNow()).Match(
                Some: session => RecordAsync(session, cancellationToken),
                None: static () => Task.CompletedTask).ConfigureAwait(false);
            var mx = await owner.dns.LookupMxAsync(Domain, cancellationToken).ConfigureAwait(false);
            if (mx.IsLeft)
            {
                var failure = mx.Match(Right: static _ => throw new System.Diagnostics.UnreachableException(), Left: static f => f);
                if (failure.Temporary)
                {
                    return Report(new DeliveryStatus.Deferred(DeferReason.MxLookupFailed, failure.Detail));
                }

                // RFC 5321 §5.1: no MX record → the domain itself is the implicit MX.
                mx = Prelude.Seq1(new MxRecord(0, Domain.Value));
            }

            var records = mx.Match(Right: static r => r, Left: static _ => Seq<MxRecord>.Empty);
            if (records.Exists(static r => r.Host.Length == 0))
            {
                return Report(new DeliveryStatus.Failed(FailReason.NoMailService, "null MX (RFC 7505): the domain accepts no mail"));
            }

            var daneApplies = await owner.dane.AppliesAsync(Domain, records, cancellationToken).ConfigureAwait(false);
            string last = "no MX tried";
            foreach (var candidate in Enforcement.Candidates(records, resolution.Step.Policy, daneApplies))
            {
                cancellationToken.ThrowIfCancellationRequested();
                switch (candidate.Decision)
                {
                    case Decision.NotApplied { Reason: NotAppliedReason.Dane }:
                        Add(new DeliveryAttempt(candidate.Mx, null, TlsResult.NotNegotiated, candidate.Decision, null, AttemptOutcome.DaneNotHandled, "DANE governs this domain (RFC 8461 §2, M-06); this sender does not deliver with DANE"));
                        last = "DANE governs the domain";
                        continue;
                    case Decision.Refuse refuse:
                        // RFC 8461 §4.1, §5: enforce, the MX is not in the policy: never connect to it.
                        Add(new DeliveryAttempt(candidate.Mx, null, TlsResult.NotNegotiated, candidate.Decision, null, AttemptOutcome.RefusedBeforeConnecting, candidate.Decision.ToString()));
                        await RecordAsync(candidate.Mx.Host, null, null, Prelude.Seq1(new TlsFailureDetail(refuse.Failure.ResultType(), "mx-not-in-policy")), cancellationToken).ConfigureAwait(false);
                        last = $"{candidate.Mx.Host}: {candidate.Decision}";
                        continue;
                }

                var addresses = await owner.dns.LookupAddressesAsync(candidate.Mx.Host, cancellationToken).ConfigureAwait(false);
                if (addresses.IsLeft)
                {
                    var why = addresses.Match(Right: static _ => string.Empty, Left: static f => f.Detail);
                    Add(new DeliveryAttempt(candidate.Mx, null, TlsResult.NotNegotiated, candidate.Decision, null, AttemptOutcome.ConnectFailed, why));
                    last = $"{candidate.Mx.Host}: {why}";
                    continue;
                }

                foreach (var address in addresses.Match(Right: static a => a, Left: static _ => Seq<IPAddress>.Empty))
                {
                    var attempt = await TryAsync(candidate, address, cancellationToken).ConfigureAwait(false);
                    Add(attempt);
                    switch (attempt.Outcome)
                    {
                        case AttemptOutcome.Delivered:
                            return Report(new DeliveryStatus.Delivered(candidate.Mx, address, attempt.Reply ?? new SmtpReply(250, string.Empty)));
                        case AttemptOutcome.Rejected:
                            return Report(new DeliveryStatus.Failed(FailReason.Rejected, $"{candidate.Mx.Host}: {attempt.Reply}"));
                        case AttemptOutcome.OutcomeUnknown:
                            return Report(new DeliveryStatus.Unknown(candidate.Mx, address, attempt.Detail ?? "connection lost after the data"));
                        default:
                            last = $"{candidate.Mx.Host} ({address}): {attempt.Outcome}: {attempt.Detail}";
                            break;
                    }
                }
            }

            return Report(daneApplies
                ? new DeliveryStatus.Deferred(DeferReason.DaneRequired, "DANE (RFC 7672) governs this domain: MTA-STS not applied (RFC 8461 §2); deliver with a DANE-validating client")
                : new DeliveryStatus.Deferred(DeferReason.NoMxAccepted, last));
        }

        private DeliveryReport Report(DeliveryStatus status) =>
            new(Domain.Value, resolution.Policy, attempts.ToSeq().Strict(), status);

        private void Add(DeliveryAttempt attempt)
        {
            attempts.Add(attempt);
            LogAttempt(owner.logger, Domain.Value, attempt.Mx.Host, attempt.Address, attempt.Outcome, attempt.Tls, attempt.Decision);
        }

        private async Task<DeliveryAttempt> TryAsync(MxCandidate candidate, IPAddress address, CancellationToken cancellationToken)
        {
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(owner.options.AttemptTimeout);
            var ct = bound.Token;
            var host = candidate.Mx.Host;

            // RFC 8461 §4.2, §5: with an enforce or testing policy STARTTLS is required; without one, opportunistic.
            var policyApplies = candidate.Decision is Decision.Deliver or Decision.DeliverAndReport;
            var enforce = resolution.Step.Policy.Map(static p => p.Mode == PolicyMode.Enforce).IfNone(false);
            var log = new SessionLog();
            var client = NewClient(log);
            TlsResult? observed = null;
            client.ServerCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                observed = CertificateCheck.Classify(host, certificate, chain, errors, owner.trust);

                // Enforce: a failed check fails the handshake. Testing and no policy: deliver anyway (§5), the failure is reported.
                return !observed.IsFailure || !enforce || !policyApplies;
            };

            IPAddress? local = null;
            TlsResult tls;
            string? failure = null;
            var connected = false;
            Socket? socket = null;
            try
            {
                socket = await DialAsync(address, ct).ConfigureAwait(false);
                local = (socket.LocalEndPoint as IPEndPoint)?.Address;

                // Dial the address, but SNI and the checked name are the MX host name (§4.2).
                await client.ConnectAsync(socket, host, owner.options.SmtpPort, policyApplies ? SecureSocketOptions.StartTls : SecureSocketOptions.StartTlsWhenAvailable, ct).ConfigureAwait(false);
                connected = true;
                tls = client.IsSecure
                    ? observed ?? TlsResult.Failed(FailureKind.ValidationFailure, "no-certificate-check", "TLS without a certificate check")
                    : TlsResult.Failed(FailureKind.StartTlsNotSupported, "starttls-not-offered", "the MX did not offer STARTTLS");
            }
            catch (Exception e) when (TimedOut(e, cancellationToken))
            {
                client.Dispose();
                socket?.Dispose();
                return new DeliveryAttempt(candidate.Mx, address, observed ?? TlsResult.NotNegotiated, candidate.Decision, log.LastReply, AttemptOutcome.TimedOut, $"no answer within {owner.options.AttemptTimeout}");
            }
            catch (NotSupportedException e)
            {
                // MailKit with StartTls: STARTTLS not in the EHLO reply (notes §3.1).
                tls = TlsResult.Failed(FailureKind.StartTlsNotSupported, "starttls-not-offered", e.Message);
            }
            catch (SmtpCommandException e) when (log.SentStartTls)
            {
                tls = TlsResult.Failed(FailureKind.StartTlsNotSupported, $"smtp-starttls-reply-code-{(int)e.StatusCode}", $"STARTTLS answered {(int)e.StatusCode} {e.Message}");
            }
            catch (SslHandshakeException e)
            {
                tls = observed is { IsFailure: true } ? observed : TlsResult.Failed(FailureKind.ValidationFailure, "tls-handshake-failure", e.InnerException?.Message ?? e.Message);
            }
            catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException or System.Security.Authentication.AuthenticationException)
            {
                // Greeting, EHLO or the connection itself failed before any TLS result: move on, nothing to report to TLSRPT.
                client.Dispose();
                socket?.Dispose();
                var outcome = observed is not null ? observed : TlsResult.NotNegotiated;
                return new DeliveryAttempt(candidate.Mx, address, outcome, candidate.Decision, log.LastReply, log.LastReply is null && !log.SentStartTls ? AttemptOutcome.ConnectFailed : AttemptOutcome.TransientFailure, e.Message);
            }

            if (!connected)
            {
                socket?.Dispose(); // MailKit closed the session; the socket goes too (disposing twice is harmless)
            }

            var decision = resolution.Decide(host, tls.Outcome);
            await RecordAsync(host, address, local, Failures(candidate.Decision, tls), cancellationToken, log.ServerHelo).ConfigureAwait(false);
            if (decision is Decision.Refuse)
            {
                await QuitAsync(client).ConfigureAwait(false);
                return new DeliveryAttempt(candidate.Mx, address, tls, decision, log.LastReply, AttemptOutcome.RefusedAfterTls, decision.ToString());
            }

            if (!connected || !client.IsConnected)
            {
                // Deliver anyway (testing, or no policy) after STARTTLS failed: again in plaintext, as without MTA-STS.
                client.Dispose();
                log = new SessionLog();
                client = NewClient(log);
                socket = null;
                try
                {
                    socket = await DialAsync(address, ct).ConfigureAwait(false);
                    await client.ConnectAsync(socket, host, owner.options.SmtpPort, SecureSocketOptions.None, ct).ConfigureAwait(false);
                }
                catch (Exception e) when (TimedOut(e, cancellationToken))
                {
                    client.Dispose();
                    socket?.Dispose();
                    return new DeliveryAttempt(candidate.Mx, address, tls, decision, log.LastReply, AttemptOutcome.TimedOut, $"no answer within {owner.options.AttemptTimeout}");
                }
                catch (Exception e) when (e is SmtpCommandException or SmtpProtocolException or IOException or SocketException)
                {
                    client.Dispose();
                    socket?.Dispose();
                    return new DeliveryAttempt(candidate.Mx, address, tls, decision, log.LastReply, AttemptOutcome.TransientFailure, e.Message);
                }
            }

            try
            {
                await client.SendAsync(message, sender, recipients, ct).ConfigureAwait(false);
                var reply = log.LastReply ?? new SmtpReply(250, string.Empty);
                await QuitAsync(client).ConfigureAwait(false);
                return new DeliveryAttempt(candidate.Mx, address, tls, decision, reply, AttemptOutcome.Delivered, null);
            }
            catch (Exception e) when (TimedOut(e, cancellationToken))
            {
                failure = $"no answer within {owner.options.AttemptTimeout}";
            }
            catch (SmtpCommandException e)
            {
                var reply = new SmtpReply((int)e.StatusCode, e.Message);
                client.Dispose();
                return new DeliveryAttempt(candidate.Mx, address, tls, decision, reply, reply.IsPermanent ? AttemptOutcome.Rejected : AttemptOutcome.TransientFailure, e.Message);
            }
            catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or ServiceNotConnectedException)
            {
                failure = e.Message;
            }
            finally
            {
                client.Dispose();
            }

            // RFC 5321 §6.1: after the whole message went out, a lost reply may hide a delivery: never send it again elsewhere.
            return new DeliveryAttempt(candidate.Mx, address, tls, decision, log.LastReply, log.DataComplete ? AttemptOutcome.OutcomeUnknown : failure.StartsWith("no answer", StringComparison.Ordinal) ? AttemptOutcome.TimedOut : AttemptOutcome.TransientFailure, failure);
        }

        /// <summary>The attempt's bound ran out (MailKit's own timeout, or the linked token), not the caller's cancellation.</summary>
        private static bool TimedOut(Exception e, CancellationToken caller) =>
            !caller.IsCancellationRequested && e is TimeoutException or OperationCanceledException;

        /// <summary>The RFC 8460 failures of one session: the testing-mode MX mismatch (§4.1) and the TLS ones (§4.2).</summary>
        private static Seq<TlsFailureDetail> Failures(Decision before, TlsResult tls) =>
            (before is Decision.DeliverAndReport { Failure: FailureKind.MxMismatch }
                ? Prelude.Seq1(new TlsFailureDetail(FailureKind.MxMismatch.ResultType(), "mx-not-in-policy"))
                : Seq<TlsFailureDetail>.Empty) + tls.FailureDetails;

        private SmtpClient NewClient(SessionLog log)
        {
            var client = new SmtpClient(log)
            {
                Timeout = (int)Math.Clamp(owner.options.AttemptTimeout.TotalMilliseconds, 1, int.MaxValue),
                CheckCertificateRevocation = owner.options.CheckCertificateRevocation,
                SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            };
            if (owner.options.LocalDomain is { Length: > 0 } ehlo)
            {
                client.LocalDomain = ehlo;
            }

            return client;
        }

        private async Task<Socket> DialAsync(IPAddress address, CancellationToken ct)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, owner.options.SmtpPort), ct).ConfigureAwait(false);
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        private static async Task QuitAsync(SmtpClient client)
        {
            try
            {
                if (client.IsConnected)
                {
                    using var quit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    await client.DisconnectAsync(true, quit.Token).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (e is IOException or SocketException or SmtpProtocolException or SmtpCommandException or OperationCanceledException)
            {
                // The message is already delivered or refused; a failed QUIT changes nothing.
            }
            finally
            {
                client.Dispose();
            }
        }

        private Task RecordAsync(string mxHost, IPAddress? receiving, IPAddress? sending, Seq<TlsFailureDetail> failures, CancellationToken cancellationToken, string? helo = null) =>
            RecordAsync(new TlsSession(DiscoverySessions.Policy(resolution), mxHost, receiving, sending, failures, owner.time.GetUtcNow()) { ReceivingMxHelo = helo }, cancellationToken);

        private async Task RecordAsync(TlsSession session, CancellationToken cancellationToken)
        {
            try
            {
                await owner.recorder.RecordAsync(session, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogNotRecorded(owner.logger, e, session.ReceivingMxHostname.Length == 0 ? "(policy discovery)" : session.ReceivingMxHostname, Domain.Value);
            }
        }
    }
}
