using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using LanguageExt;
using MailKit.Security;
using MtaSts.Functional.Resolver;
using MtaSts.TlsRpt;
using MtaSts.TlsRpt.Delivery;

namespace MtaSts.Cli;

/// <summary>
/// <c>mta-sts tlsrpt report</c> (the RFC 8460 §4.4 JSON of a stored day, printed or written, gzip by a
/// <c>.gz</c> name) and <c>mta-sts tlsrpt send</c> (delivers the pending reports of a store over HTTPS and
/// mail, once; the retry schedule is kept in the store, so running it again later retries what is due).
/// Both open the store file read-write but never create one.
/// </summary>
internal static class TlsRptReportCommands
{
    /// <summary>The environment variable with the SMTP AUTH password for <c>--smtp-user</c> (never on the command line).</summary>
    public const string PasswordVariable = "MTA_STS_SMTP_PASSWORD";

    /// <summary><c>tlsrpt report --store PATH --day YYYY-MM-DD [--domain D] [--out FILE]</c>.</summary>
    /// <param name="console">Where output goes.</param>
    /// <returns>The command.</returns>
    public static Command Report(CliConsole console)
    {
        var store = StoreOption();
        var day = new System.CommandLine.Option<string>("--day") { Description = "The UTC day, YYYY-MM-DD", Required = true };
        var domain = new System.CommandLine.Option<string?>("--domain") { Description = "Only this policy domain (default: every domain with sessions that day)" };
        var output = new System.CommandLine.Option<string?>("--out") { Description = "Write the report here instead of printing it; gzip (RFC 8460 §5.2) when the name ends in .gz" };
        var (submitter, org, contact) = SenderOptions();
        var command = new Command("report", "The RFC 8460 §4.4 JSON report of one stored UTC day: one line per policy domain, or one file") { store, day, domain, output, submitter, org, contact };
        command.SetAction((r, ct) => MtaStsCli.Guard(console, () => ReportAsync(
            console, r.GetRequiredValue(store), r.GetRequiredValue(day), r.GetValue(domain), r.GetValue(output), Sender(r.GetValue(submitter), r.GetValue(org), r.GetValue(contact)), ct)));
        return command;
    }

    /// <summary><c>tlsrpt send --store PATH</c> with the delivery settings.</summary>
    /// <param name="console">Where output goes.</param>
    /// <param name="dns">The shared <c>--dns</c> option (the <c>_smtp._tls</c> lookups).</param>
    /// <param name="trust">The shared <c>--trust</c> option (extra CAs for HTTPS collectors).</param>
    /// <param name="json">The root's recursive <c>--json</c> option.</param>
    /// <returns>The command.</returns>
    public static Command Send(CliConsole console, System.CommandLine.Option<string[]> dns, System.CommandLine.Option<string[]> trust, System.CommandLine.Option<bool> json)
    {
        var store = StoreOption();
        var (submitter, org, contact) = SenderOptions();
        var throughDay = new System.CommandLine.Option<string?>("--day") { Description = "Send days up to this UTC day, YYYY-MM-DD (default: yesterday)" };
        var everyDay = new System.CommandLine.Option<bool>("--every-day") { Description = "Report days without failures too (default: only days with a failed session, as mox)" };
        var smtpHost = new System.CommandLine.Option<string?>("--smtp-host") { Description = "The submission server for mailto: destinations (none: mailto: is not used)" };
        var smtpPort = new System.CommandLine.Option<int>("--smtp-port") { Description = "Its port (default 587)", DefaultValueFactory = static _ => 587 };
        var smtpSecurity = new System.CommandLine.Option<string>("--smtp-security") { Description = "none, starttls, starttls-when-available (default) or tls", DefaultValueFactory = static _ => "starttls-when-available" };
        var smtpUser = new System.CommandLine.Option<string?>("--smtp-user") { Description = $"SMTP AUTH user; the password is read from ${PasswordVariable}" };
        var from = new System.CommandLine.Option<string?>("--from") { Description = "The report mail's From: (default tlsrpt-noreply@<submitter>)" };
        var dkimKey = new System.CommandLine.Option<string?>("--dkim-key") { Description = "A PEM private key file: DKIM-sign report mail (RFC 8460 §3)" };
        var dkimSelector = new System.CommandLine.Option<string>("--dkim-selector") { Description = "The DKIM selector (default tlsrpt)", DefaultValueFactory = static _ => "tlsrpt" };
        var dkimDomain = new System.CommandLine.Option<string?>("--dkim-domain") { Description = "The DKIM signing domain (default: the submitter)" };
        var timeout = new System.CommandLine.Option<double>("--timeout") { Description = "Seconds for each POST, SMTP step and DNS lookup (default 120)", DefaultValueFactory = static _ => 120 };
        var command = new Command("send", "Deliver the pending reports of a store once: every rua of each domain's TLSRPT record (HTTPS POST, mail), retries as scheduled in the store")
        {
            store, throughDay, everyDay, submitter, org, contact, smtpHost, smtpPort, smtpSecurity, smtpUser, from, dkimKey, dkimSelector, dkimDomain, dns, trust, timeout,
        };
        command.SetAction((r, ct) => MtaStsCli.Guard(console, () =>
        {
            var sender = Sender(r.GetValue(submitter), r.GetValue(org), r.GetValue(contact));
            var mail = r.GetValue(smtpHost) is { } host
                ? new TlsRptMailOptions
                {
                    Host = host,
                    Port = r.GetValue(smtpPort),
                    Security = Security(r.GetRequiredValue(smtpSecurity)),
                    Credentials = r.GetValue(smtpUser) is { } user ? new NetworkCredential(user, Environment.GetEnvironmentVariable(PasswordVariable) ?? string.Empty) : null,
                    From = r.GetValue(from) ?? $"tlsrpt-noreply@{sender.SenderDomain}",
                    Dkim = r.GetValue(dkimKey) is { } key ? new TlsRptDkimOptions(key, r.GetRequiredValue(dkimSelector), r.GetValue(dkimDomain) ?? sender.SenderDomain) : null,
                    Timeout = TimeSpan.FromSeconds(r.GetValue(timeout)),
                }
                : null;
            return SendAsync(console, r.GetRequiredValue(store), r.GetValue(throughDay), r.GetValue(everyDay), sender, mail, r.GetValue(dns) ?? [], r.GetValue(trust) ?? [], r.GetValue(timeout), r.GetValue(json), ct);
        }));
        return command;
    }

    public static async Task<int> ReportAsync(CliConsole console, string storePath, string dayText, string? domain, string? output, TlsRptSender sender, CancellationToken cancellationToken)
    {
        var opened = Open(storePath);
        if (opened.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)opened);
        }

        if (Day(dayText, "--day") is { IsLeft: true } badDay)
        {
            return FileCommands.Fail(console, (CliFailure)badDay);
        }

        var store = (SqliteTlsRptStore)opened;
        var day = (DateOnly)Day(dayText, "--day");
        var results = domain is null
            ? await store.DayAsync(day, cancellationToken).ConfigureAwait(false)
            : (await store.GetAsync(DomainKey(domain), day, cancellationToken).ConfigureAwait(false)).ToSeq();
        if (store.Problem is { } problem)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"--store '{storePath}': {problem}"));
        }

        if (results.IsEmpty)
        {
            console.Error.WriteLine($"mta-sts: no sessions recorded for {domain ?? "any policy domain"} on {dayText} in {storePath}");
            return ExitCodes.Invalid;
        }

        var reports = results.Map(r => TlsRptReport.Build(sender, r));
        if (output is null)
        {
            foreach (var report in reports)
            {
                console.Out.WriteLine(report.Json);
            }

            return ExitCodes.Ok;
        }

        if (reports.Count > 1)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"--out: {reports.Count} policy domains have sessions on {dayText}; choose one with --domain"));
        }

        try
        {
            var report = reports.Head;
            await File.WriteAllBytesAsync(output, output.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? report.Gzip() : System.Text.Encoding.UTF8.GetBytes(report.Json), cancellationToken).ConfigureAwait(false);
            console.Error.WriteLine($"mta-sts: wrote the report of {report.Results.PolicyDomain} for {dayText} to {output}");
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"--out '{output}': {e.Message}"));
        }
    }

    public static async Task<int> SendAsync(
        CliConsole console, string storePath, string? throughDayText, bool everyDay, TlsRptSender sender, TlsRptMailOptions? mail, IReadOnlyList<string> dns, IReadOnlyList<string> trust, double timeoutSeconds, bool json, CancellationToken cancellationToken)
    {
        var opened = Open(storePath);
        if (opened.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)opened);
        }

        var settings = NetCommands.Options(new NetSettings(dns, trust, null, timeoutSeconds, null));
        if (settings.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)settings);
        }

        var yesterday = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1);
        var throughDay = throughDayText is null ? yesterday : Day(throughDayText, "--day");
        if (throughDay.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)throughDay);
        }

        var options = (MtaStsOptions)settings;
        var store = (SqliteTlsRptStore)opened;
        using var client = new HttpClient(Handler(options.TrustAnchors)) { Timeout = Timeout.InfiniteTimeSpan };
        var transports = new List<IReportTransport> { new HttpsReportTransport(client, TimeSpan.FromSeconds(timeoutSeconds)) };
        if (mail is not null)
        {
            transports.Add(new MailReportTransport(mail));
        }

        var reporter = new TlsRptReporter(store, TlsRptDnsLookup.Create(options), transports, new TlsRptReporterOptions { Sender = sender, OnlyDaysWithFailures = !everyDay });
        var sent = await reporter.SendPendingAsync((DateOnly)throughDay, cancellationToken).ConfigureAwait(false);
        if (store.Problem is { } problem)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"--store '{storePath}': {problem}"));
        }

        foreach (var d in sent)
        {
            console.Out.WriteLine(json ? Json.Line(ToJson(d)) : Text(d));
        }

        if (sent.IsEmpty && !json)
        {
            console.Out.WriteLine($"no report is due (days up to {((DateOnly)throughDay).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        }

        // Exit 3 (network) when some report is not delivered yet or was given up; skipped reports are not failures.
        return sent.Exists(static d => d.Attempt.StateAfter is ReportState.Retrying or ReportState.Failed) ? ExitCodes.Network : ExitCodes.Ok;
    }

    /// <summary>One attempt in text: <c>domain day: state — detail</c>, then each destination.</summary>
    public static string Text(ReportDelivery d) =>
        $"{d.Report.PolicyDomain} {d.Report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}: {d.Attempt.StateAfter.ToString().ToLowerInvariant()} — {d.Attempt.Detail}"
        + string.Concat(d.Attempt.Destinations.Map(static r => $"\n  {r.Uri}: {r.Outcome.ToString().ToLowerInvariant()} ({r.Detail})"))
        + d.Attempt.NextAttempt.Match(static n => $"\n  next attempt: {n.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}", static () => string.Empty);

    public static JsonObject ToJson(ReportDelivery d) => new()
    {
        ["policy-domain"] = d.Report.PolicyDomain,
        ["day"] = d.Report.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["state"] = d.Attempt.StateAfter.ToString().ToLowerInvariant(),
        ["detail"] = d.Attempt.Detail,
        ["next-attempt"] = Json.OrNull(d.Attempt.NextAttempt, static n => JsonValue.Create(n.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))),
        ["destinations"] = new JsonArray([.. d.Attempt.Destinations.Map(static r => (JsonNode)new JsonObject { ["uri"] = r.Uri, ["outcome"] = r.Outcome.ToString().ToLowerInvariant(), ["detail"] = r.Detail })]),
    };

    private static System.CommandLine.Option<string> StoreOption() => new("--store") { Description = "The TLSRPT store, a SQLite file (see README: Report with TLSRPT)", Required = true };

    private static (System.CommandLine.Option<string?> Submitter, System.CommandLine.Option<string?> Org, System.CommandLine.Option<string?> Contact) SenderOptions() =>
    (
        new System.CommandLine.Option<string?>("--submitter") { Description = "The reporting domain (§5.1 sender, report-id; default: this host's name)" },
        new System.CommandLine.Option<string?>("--org") { Description = "organization-name (default: the submitter)" },
        new System.CommandLine.Option<string?>("--contact") { Description = "contact-info, an addr-spec (default: postmaster@<submitter>, as mox)" });

    private static TlsRptSender Sender(string? submitter, string? org, string? contact)
    {
        var domain = submitter ?? Dns.GetHostName();
        return new TlsRptSender(org ?? domain, contact ?? $"postmaster@{domain}", domain);
    }

    /// <summary>The store file, which must exist (a typo must not create an empty store and report nothing).</summary>
    private static Either<CliFailure, SqliteTlsRptStore> Open(string path) =>
        File.Exists(path) ? new SqliteTlsRptStore(path) : new CliFailure(ExitCodes.Usage, $"--store '{path}': no such file");

    private static Either<CliFailure, DateOnly> Day(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : new CliFailure(ExitCodes.Usage, $"{option} '{text}': not a date YYYY-MM-DD");

    /// <summary>The store keys domains by their A-label form (<see cref="PolicyDomain.Value"/>); an unparsable name is used as given (it matches nothing).</summary>
    private static string DomainKey(string domain) => PolicyDomain.Parse(domain).Match(static d => d.Value, _ => domain);

    private static SecureSocketOptions Security(string text) => text.ToLowerInvariant() switch
    {
        "none" => SecureSocketOptions.None,
        "starttls" => SecureSocketOptions.StartTls,
        "tls" => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };

    /// <summary>No redirects; the system's certificate validation, plus the <c>--trust</c> CAs as extra roots when given.</summary>
    private static SocketsHttpHandler Handler(X509Certificate2Collection extraRoots) => new()
    {
        AllowAutoRedirect = false,
        SslOptions = extraRoots.Count == 0 ? new SslClientAuthenticationOptions() : new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }

                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(extraRoots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                using var leaf = new X509Certificate2(certificate);
                return chain.Build(leaf);
            },
        },
    };
}
