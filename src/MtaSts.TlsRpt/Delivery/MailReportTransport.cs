using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;
using MimeKit.Utils;
using MtaSts.Functional;

namespace MtaSts.TlsRpt.Delivery;

/// <summary>DKIM signing of report mail (RFC 8460 §3: reports "MUST contain a valid DKIM signature by the reporting domain").</summary>
/// <param name="KeyFile">The PEM private key file.</param>
/// <param name="Selector">The selector (RFC 8460 §3: its key record SHOULD have <c>s=tlsrpt</c>).</param>
/// <param name="Domain">The signing domain (<c>d=</c>).</param>
public sealed record TlsRptDkimOptions(string KeyFile, string Selector, string Domain);

/// <summary>How report mail is sent: the submission server, the envelope and header sender, optional DKIM.</summary>
public sealed record TlsRptMailOptions
{
    /// <summary>The submission server's host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The submission port (587 by default).</summary>
    public int Port { get; init; } = 587;

    /// <summary>TLS to the submission server (STARTTLS when offered, by default).</summary>
    public SecureSocketOptions Security { get; init; } = SecureSocketOptions.StartTlsWhenAvailable;

    /// <summary>Credentials for SMTP AUTH, when the server needs them.</summary>
    public NetworkCredential? Credentials { get; init; }

    /// <summary>Validates the submission server's certificate; null for the system's validation.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }

    /// <summary>The <c>From:</c> address (and envelope sender), e.g. <c>tlsrpt-noreply@mta.example.org</c>.</summary>
    public required string From { get; init; }

    /// <summary>DKIM signing; null to leave the message unsigned (for a submission server that signs).</summary>
    public TlsRptDkimOptions? Dkim { get; init; }

    /// <summary>The bound on one SMTP operation (default 2 minutes).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>
/// RFC 8460 §5.3: the report as a <c>multipart/report; report-type="tlsrpt"</c> message (a text part and the
/// <c>application/tlsrpt+gzip</c> attachment with the §5.1 file name), with <c>TLS-Report-Domain</c>,
/// <c>TLS-Report-Submitter</c>, <c>TLS-Required: No</c> (RFC 8689: deliver despite TLS failures, RFC 8460
/// §3) and the §5.3 subject, DKIM-signed with both TLS-Report headers when configured, sent through the
/// configured submission server with MailKit inside a <see cref="TlsRptDeliveryScope"/>.
/// </summary>
public sealed class MailReportTransport : IReportTransport
{
    private readonly TlsRptMailOptions options;
    private readonly TimeProvider time;

    /// <summary>Creates the transport.</summary>
    /// <param name="options">The submission server and sender.</param>
    /// <param name="time">The clock of the <c>Date:</c> header.</param>
    public MailReportTransport(TlsRptMailOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
        this.time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public ReportingScheme Scheme => ReportingScheme.Mailto;

    /// <inheritdoc/>
    public async ValueTask<DestinationResult> SendAsync(TlsRptReport report, ReportingUri destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(destination);
        if (!MailboxAddress.TryParse(Recipient(destination.Text), out var to))
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unsupported, "not a mailto: address MimeKit can use");
        }

        MimeMessage message;
        try
        {
            message = TlsRptMessage.Build(report, MailboxAddress.Parse(options.From), to, time.GetUtcNow(), options.Dkim);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or ParseException or ArgumentException)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unsupported, $"the message could not be built or signed: {e.Message}");
        }

        using var scope = TlsRptDeliveryScope.Enter(); // RFC 8460 §3: sessions delivering this report are never counted
        using var client = new SmtpClient { Timeout = (int)Math.Min(int.MaxValue, options.Timeout.TotalMilliseconds) };
        if (options.ServerCertificateValidation is { } validate)
        {
            client.ServerCertificateValidationCallback = validate;
        }

        try
        {
            await client.ConnectAsync(options.Host, options.Port, options.Security, cancellationToken).ConfigureAwait(false);
            if (options.Credentials is { } credentials)
            {
                await client.AuthenticateAsync(credentials, cancellationToken).ConfigureAwait(false);
            }

            var reply = await client.SendAsync(message, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
            return new DestinationResult(destination.Text, DestinationOutcome.Accepted, $"accepted by {options.Host}: {reply}");
        }
        catch (SmtpCommandException e)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Rejected, string.Create(CultureInfo.InvariantCulture, $"{(int)e.StatusCode} {e.Message}"));
        }
        catch (Exception e) when (e is TimeoutException || e is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.TimedOut, e.Message);
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or SslHandshakeException or AuthenticationException or ServiceNotConnectedException or NotSupportedException)
        {
            return new DestinationResult(destination.Text, DestinationOutcome.Unreachable, $"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>The address of a <c>mailto:</c> URI: the part before any <c>?</c>, percent-decoded once (T-08).</summary>
    internal static string Recipient(string mailto)
    {
        var address = mailto["mailto:".Length..];
        var query = address.IndexOf('?', StringComparison.Ordinal);
        return Uri.UnescapeDataString(query < 0 ? address : address[..query]);
    }
}

/// <summary>The RFC 8460 §5.3 message of a report.</summary>
internal static class TlsRptMessage
{
    /// <summary>The headers DKIM signs: the usual ones and the two TLS-Report headers (RFC 8460 §5.3 "SHOULD be included in the DKIM signature").</summary>
    public static readonly string[] SignedHeaders = ["From", "To", "Subject", "Date", "Message-ID", "TLS-Report-Domain", "TLS-Report-Submitter"];

    /// <summary>RFC 8460 §5.3: the <c>TLS-Report-Submitter</c> "MUST match the value found in the domain of the contact-info".</summary>
    public static string Submitter(TlsRptSender sender)
    {
        var at = sender.ContactInfo.LastIndexOf('@');
        return at >= 0 ? sender.ContactInfo[(at + 1)..] : sender.SenderDomain;
    }

    /// <summary>RFC 8460 §5.3: <c>Report Domain: … Submitter: … Report-ID: &lt;…&gt;</c>.</summary>
    public static string Subject(TlsRptReport report) => $"Report Domain: {report.Results.PolicyDomain} Submitter: {Submitter(report.Sender)} Report-ID: <{report.ReportId}>";

    public static MimeMessage Build(TlsRptReport report, MailboxAddress from, MailboxAddress to, DateTimeOffset now, TlsRptDkimOptions? dkim)
    {
        var message = new MimeMessage { Subject = Subject(report), Date = now, MessageId = MimeUtils.GenerateMessageId(Submitter(report.Sender)) };
        message.From.Add(from);
        message.To.Add(to);
        message.Headers.Add("TLS-Report-Domain", report.Results.PolicyDomain);
        message.Headers.Add("TLS-Report-Submitter", Submitter(report.Sender));
        message.Headers.Add("TLS-Required", "No");
        var text = new TextPart("plain")
        {
            Text = $"This is an aggregate TLS report (RFC 8460) from {report.Sender.OrganizationName} for {report.Results.PolicyDomain}, "
                + $"UTC day {report.Results.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}. The report is attached as {report.FileName}.\r\n",
        };
        var attachment = new MimePart("application", "tlsrpt+gzip")
        {
            Content = new MimeContent(new MemoryStream(report.Gzip())),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = report.FileName,
        };
        message.Body = new MultipartReport("tlsrpt", text, attachment);
        if (dkim is not null)
        {
            var signer = new DkimSigner(dkim.KeyFile, dkim.Domain, dkim.Selector)
            {
                HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
                BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            };
            message.Prepare(EncodingConstraint.SevenBit);
            signer.Sign(message, SignedHeaders); // no l= (RFC 8460 §3)
        }

        return message;
    }
}
