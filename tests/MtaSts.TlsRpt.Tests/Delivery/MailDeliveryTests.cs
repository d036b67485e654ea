using System.IO.Compression;
using System.Security.Cryptography;
using MailKit.Security;
using MimeKit;
using MimeKit.Cryptography;
using MtaSts.TlsRpt.Delivery;
using Org.BouncyCastle.Crypto;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>RFC 8460 §5.3 (the report by mail) and §3 (DKIM), through an SmtpServer submission server on loopback; the mail parsed and verified with MimeKit.</summary>
public sealed class MailDeliveryTests : IDisposable
{
    private const string Selector = "tlsrpt";
    private const string SigningDomain = "company-x.example";
    private readonly string directory = Directory.CreateTempSubdirectory("tlsrpt-dkim-").FullName;
    private readonly RSA key = RSA.Create(2048);

    private string KeyFile()
    {
        var path = Path.Combine(directory, "dkim.pem");
        File.WriteAllText(path, key.ExportRSAPrivateKeyPem());
        return path;
    }

    /// <summary>The DKIM key record the test key would publish at <c>tlsrpt._domainkey.company-x.example</c> (RFC 8460 §3: <c>s=tlsrpt</c>).</summary>
    private string KeyRecord() => $"v=DKIM1; k=rsa; s=tlsrpt; p={Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())}";

    private TlsRptMailOptions Options(SubmissionServer server, bool sign = true) => new()
    {
        Host = "127.0.0.1",
        Port = server.Port,
        Security = SecureSocketOptions.None,
        From = "tlsrpt-noreply@company-x.example",
        Dkim = sign ? new TlsRptDkimOptions(KeyFile(), Selector, SigningDomain) : null,
        Timeout = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task Mail_IsAMultipartReportWithTheHeadersSubjectAndAttachmentOfSection53()
    {
        await using var server = new SubmissionServer();
        var store = await World.StoreAsync();
        var clock = World.Clock();

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@company-y.example"), clock, true, new MailReportTransport(Options(server), clock)).SendPendingAsync(World.Day));

        Assert.Equal((ReportState.Delivered, DestinationOutcome.Accepted), (delivery.Attempt.StateAfter, Assert.Single(delivery.Attempt.Destinations).Outcome));
        var (from, to, data) = Assert.Single(server.Messages);
        Assert.Equal("tlsrpt-noreply@company-x.example", from);
        Assert.Equal(new[] { "tlsrpt@company-y.example" }, to);
        using var message = await MimeMessage.LoadAsync(new MemoryStream(data));
        Assert.Equal("company-y.example", message.Headers["TLS-Report-Domain"]);
        Assert.Equal("company-x.example", message.Headers["TLS-Report-Submitter"]); // the domain of contact-info (§5.3 MUST)
        Assert.Equal("No", message.Headers["TLS-Required"]);
        Assert.Equal("Report Domain: company-y.example Submitter: company-x.example Report-ID: <20160401.company-y.example@mail.company-x.example>", message.Subject);
        Assert.Equal(World.NextMorning, message.Date);

        var report = Assert.IsType<MultipartReport>(message.Body);
        Assert.Equal("tlsrpt", report.ReportType);
        Assert.Equal(2, report.Count);
        Assert.IsType<TextPart>(report[0]);
        Assert.True(((TextPart)report[0]).IsPlain);
        var attachment = Assert.IsType<MimePart>(report[1]);
        Assert.Equal("application/tlsrpt+gzip", attachment.ContentType.MimeType);
        Assert.Equal("mail.company-x.example!company-y.example!1459468800!1459555199.json.gz", attachment.FileName);
        Assert.True(attachment.IsAttachment);
        using var decoded = new MemoryStream();
        await Assert.IsType<MimeContent>(attachment.Content).DecodeToAsync(decoded);
        decoded.Position = 0;
        await using var gzip = new GZipStream(decoded, CompressionMode.Decompress);
        var json = await new StreamReader(gzip).ReadToEndAsync();
        var expected = TlsRptReport.Build(World.Sender, (await store.GetAsync("company-y.example", World.Day)).IfNone(() => throw new InvalidOperationException("lost")));
        Assert.Equal(expected.Json, json);
    }

    [Fact]
    public async Task Mail_IsDkimSigned_WithBothTlsReportHeaders_AndVerifies()
    {
        await using var server = new SubmissionServer();
        var store = await World.StoreAsync();
        var clock = World.Clock();

        await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@company-y.example"), clock, true, new MailReportTransport(Options(server), clock)).SendPendingAsync(World.Day);

        using var message = await MimeMessage.LoadAsync(new MemoryStream(Assert.Single(server.Messages).Data));
        var index = message.Headers.IndexOf(HeaderId.DkimSignature);
        Assert.True(index >= 0, "no DKIM-Signature header");
        var signature = message.Headers[index];
        var tags = signature.Value.Split(';').Select(static t => t.Trim()).Where(static t => t.Length > 0).ToDictionary(static t => t[..t.IndexOf('=')].Trim(), static t => t[(t.IndexOf('=') + 1)..].Trim());
        Assert.Equal((SigningDomain, Selector), (tags["d"], tags["s"]));
        Assert.False(tags.ContainsKey("l"), "RFC 8460 §3: no l= tag");
        var signed = tags["h"].Split(':').Select(static h => h.Trim().ToLowerInvariant()).ToArray();
        Assert.Contains("tls-report-domain", signed);
        Assert.Contains("tls-report-submitter", signed);

        var verifier = new DkimVerifier(new TestKeyLocator(SigningDomain, Selector, KeyRecord()));
        Assert.True(await verifier.VerifyAsync(message, signature), "the DKIM signature verifies against the test key");

        message.Headers["TLS-Report-Domain"] = "forged.example"; // a signed header changed after signing
        Assert.False(await verifier.VerifyAsync(message, signature), "the signature covers TLS-Report-Domain");
    }

    [Fact]
    public async Task Mail_OverStartTls_ToAServerWithACertificateOfTheTestPki_IsDelivered()
    {
        using var pki = new MtaSts.Testing.TestPki("TLSRPT submission test CA");
        using var certificate = pki.Leaf("localhost", ["localhost"]);
        await using var server = new SubmissionServer(certificate: certificate);
        var store = await World.StoreAsync();
        var clock = World.Clock();
        var validated = false;
        var options = Options(server, sign: false) with
        {
            Host = "localhost",
            Security = SecureSocketOptions.StartTls,
            ServerCertificateValidation = (_, presented, _, errors) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(pki.Root);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                validated = presented is not null && (errors & ~System.Net.Security.SslPolicyErrors.RemoteCertificateChainErrors) == 0
                    && chain.Build(new System.Security.Cryptography.X509Certificates.X509Certificate2(presented));
                return validated;
            },
        };

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@company-y.example"), clock, true, new MailReportTransport(options, clock)).SendPendingAsync(World.Day));

        Assert.True(validated, "the submission server's certificate was checked against the test CA");
        Assert.Equal(ReportState.Delivered, delivery.Attempt.StateAfter);
        Assert.Single(server.Messages);
    }

    [Fact]
    public async Task Mail_ServerRefuses_IsRejectedTyped_AndNothingIsLost()
    {
        await using var server = new SubmissionServer(refuse: true);
        var store = await World.StoreAsync();
        var clock = World.Clock();

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@company-y.example"), clock, true, new MailReportTransport(Options(server, sign: false), clock)).SendPendingAsync(World.Day));

        var result = Assert.Single(delivery.Attempt.Destinations);
        Assert.Equal((ReportState.Retrying, DestinationOutcome.Rejected), (delivery.Attempt.StateAfter, result.Outcome));
        Assert.StartsWith("550", result.Detail, StringComparison.Ordinal);
        Assert.Empty(server.Messages);
        Assert.True((await store.GetAsync("company-y.example", World.Day)).IsSome);
        Assert.Equal(World.Key, Assert.Single(await store.PendingAsync(World.Day, clock.GetUtcNow().AddMinutes(5))).Report);
    }

    [Fact]
    public async Task Mail_NoServerListening_IsUnreachableTyped()
    {
        var store = await World.StoreAsync();
        var clock = World.Clock();
        var port = SubmissionServer.FreePort();

        var options = new TlsRptMailOptions { Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None, From = "tlsrpt-noreply@company-x.example" };
        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@company-y.example"), clock, true, new MailReportTransport(options, clock)).SendPendingAsync(World.Day));

        Assert.Equal((ReportState.Retrying, DestinationOutcome.Unreachable), (delivery.Attempt.StateAfter, Assert.Single(delivery.Attempt.Destinations).Outcome));
    }

    [Fact]
    public async Task Mail_MissingDkimKeyFile_IsTypedNotThrown()
    {
        await using var server = new SubmissionServer();
        var store = await World.StoreAsync();
        var clock = World.Clock();
        var options = Options(server, sign: false) with { Dkim = new TlsRptDkimOptions(Path.Combine(directory, "missing.pem"), Selector, SigningDomain) };

        var delivery = Assert.Single(await World.Reporter(store, FixedLookup.Rua("mailto:tlsrpt@company-y.example"), clock, true, new MailReportTransport(options, clock)).SendPendingAsync(World.Day));

        Assert.Equal(DestinationOutcome.Unsupported, Assert.Single(delivery.Attempt.Destinations).Outcome);
        Assert.Empty(server.Messages);
    }

    [Theory]
    [InlineData("mailto:tlsrpt@company-y.example", "tlsrpt@company-y.example")]
    [InlineData("mailto:tls%2Drpt@company-y.example?subject=x", "tls-rpt@company-y.example")]
    public void Recipient_IsTheAddressBeforeTheQuery_DecodedOnce(string uri, string address) => Assert.Equal(address, MailReportTransport.Recipient(uri));

    public void Dispose()
    {
        key.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Gives the test key record for exactly one (domain, selector), as DNS would.</summary>
    private sealed class TestKeyLocator(string domain, string selector, string record) : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain1, string selector1, CancellationToken cancellationToken = default) =>
            domain1 == domain && selector1 == selector ? GetPublicKey(record) : throw new InvalidOperationException($"no key for {selector1}._domainkey.{domain1}");

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain1, string selector1, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain1, selector1, cancellationToken));
    }
}
