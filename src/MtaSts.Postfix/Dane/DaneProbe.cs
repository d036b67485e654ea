using System.Collections.Concurrent;
using DnsClient;
using LanguageExt;
using MtaSts.Functional.Resolver;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix.Dane;

/// <summary>One DNS answer as the DANE check needs it (RFC 7672 §2.1: only DNSSEC-validated data counts).</summary>
internal abstract record DaneAnswer
{
    private DaneAnswer()
    {
    }

    /// <summary>An answer (possibly empty) and whether the resolver validated it (the AD bit).</summary>
    public sealed record Answer(bool Authenticated, Seq<string> Records) : DaneAnswer;

    /// <summary>NXDOMAIN.</summary>
    public sealed record NoName(bool Authenticated) : DaneAnswer;

    /// <summary>SERVFAIL, REFUSED, a timeout or a network error.</summary>
    public sealed record Failed(string Detail) : DaneAnswer;
}

/// <summary>The pure part of the check: what the MX and TLSA answers mean (RFC 7672 §2.2, §3.1).</summary>
internal static class DaneRules
{
    /// <summary>
    /// The MX RRset must be validated, else DANE does not apply (RFC 7672 §2.2.1); a validated NODATA means
    /// the domain itself is the host (RFC 5321 §5.1 implicit MX). Then each host's <c>_25._tcp</c> TLSA RRset:
    /// validated and non-empty counts; insecure or absent does not; a failure is temporary (§2.1.1).
    /// </summary>
    public static (DaneStatus Status, string Detail) Combine(DaneAnswer mx, IReadOnlyList<(string Host, DaneAnswer Tlsa)> tlsa)
    {
        switch (mx)
        {
            case DaneAnswer.Failed f:
                return (DaneStatus.TemporaryFailure, "MX: " + f.Detail);
            case DaneAnswer.Answer { Authenticated: true }:
                break;
            default:
                return (DaneStatus.NotApplicable, "MX RRset not validated");
        }

        var secured = 0;
        foreach (var (host, answer) in tlsa)
        {
            switch (answer)
            {
                case DaneAnswer.Failed f:
                    return (DaneStatus.TemporaryFailure, $"TLSA _25._tcp.{host}: {f.Detail}");
                case DaneAnswer.Answer { Authenticated: true, Records.IsEmpty: false }:
                    secured++;
                    break;
            }
        }

        return secured == 0 ? (DaneStatus.NotApplicable, "no validated TLSA record")
            : secured == tlsa.Count ? (DaneStatus.EveryHost, string.Empty)
            : (DaneStatus.SomeHosts, string.Empty);
    }

    /// <summary>The hosts to check: the MX exchanges, or the domain itself for a validated empty MX answer.</summary>
    public static Seq<string> Hosts(string domain, DaneAnswer mx) =>
        mx is DaneAnswer.Answer { Records.IsEmpty: false } a ? a.Records.Filter(static h => h.Length > 0) : Prelude.Seq1(domain);
}

/// <summary>
/// The DANE check of <c>mta-sts serve</c> (RFC 8461 §2, M-06): asks the configured resolver, with the DO
/// bit, for the MX RRset and each host's <c>_25._tcp</c> TLSA RRset, and reads the AD bit. Without a
/// validating resolver nothing is ever authenticated and the check never applies. Results are kept for
/// <see cref="SocketmapOptions.DaneCacheTime"/> (a temporary failure 30 s), and concurrent checks of one
/// domain share one run, so a warm query makes no DNS traffic.
/// </summary>
internal sealed class DaneProbe
{
    private static readonly TimeSpan FailureCacheTime = TimeSpan.FromSeconds(30);

    private readonly LookupClient client;
    private readonly TimeProvider time;
    private readonly TimeSpan cacheTime;
    private readonly ConcurrentDictionary<string, (DaneStatus Status, string Detail, DateTimeOffset Until)> results = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Task<(DaneStatus, string)>>> inFlight = new(StringComparer.Ordinal);

    public DaneProbe(MtaStsOptions resolver, SocketmapOptions options, TimeProvider time)
    {
        // The resolver's DNS settings (one source of truth), plus the DO bit so that a validating resolver sets AD.
        var settings = DnsDiscovery.ClientSettings(resolver);
        settings.RequestDnsSecRecords = true;
        client = new LookupClient(settings);
        this.time = time;
        cacheTime = options.DaneCacheTime;
    }

    /// <summary>The DANE status of <paramref name="domain"/> (normalised), from the kept result or one shared check.</summary>
    public ValueTask<(DaneStatus Status, string Detail)> CheckAsync(string domain)
    {
        if (results.TryGetValue(domain, out var kept) && time.GetUtcNow() < kept.Until)
        {
            return ValueTask.FromResult((kept.Status, kept.Detail));
        }

        return new ValueTask<(DaneStatus, string)>(inFlight.GetOrAdd(domain, d => new Lazy<Task<(DaneStatus, string)>>(() => RunAsync(d))).Value);
    }

    private async Task<(DaneStatus, string)> RunAsync(string domain)
    {
        try
        {
            var mx = await QueryAsync(domain, QueryType.MX).ConfigureAwait(false);
            var checks = new List<(string, DaneAnswer)>();
            if (mx is DaneAnswer.Answer { Authenticated: true })
            {
                foreach (var host in DaneRules.Hosts(domain, mx))
                {
                    checks.Add((host, await QueryAsync("_25._tcp." + host, QueryType.TLSA).ConfigureAwait(false)));
                }
            }

            var (status, detail) = DaneRules.Combine(mx, checks);
            var keep = status == DaneStatus.TemporaryFailure ? FailureCacheTime : cacheTime;
            results[domain] = (status, detail, time.GetUtcNow() + keep);
            return (status, detail);
        }
        finally
        {
            inFlight.TryRemove(domain, out _);
        }
    }

    private async Task<DaneAnswer> QueryAsync(string name, QueryType type)
    {
        try
        {
            var response = await client.QueryAsync(name, type).ConfigureAwait(false);
            var authenticated = response.Header.IsAuthenticData;
            return response.Header.ResponseCode switch
            {
                DnsHeaderResponseCode.NoError => new DaneAnswer.Answer(authenticated, type == QueryType.MX
                    ? response.Answers.MxRecords().Select(static m => m.Exchange.Original.TrimEnd('.').ToLowerInvariant()).ToSeq().Strict()
                    : response.Answers.TlsaRecords().Select(static t => t.CertificateAssociationDataAsString).ToSeq().Strict()),
                DnsHeaderResponseCode.NotExistentDomain => new DaneAnswer.NoName(authenticated),
                var code => new DaneAnswer.Failed($"{code} for {name} {type}"),
            };
        }
        catch (DnsResponseException e)
        {
            return new DaneAnswer.Failed($"{e.Code} for {name} {type}");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            return new DaneAnswer.Failed($"network error for {name} {type}: {e.Message}");
        }
        catch (OperationCanceledException)
        {
            return new DaneAnswer.Failed($"timeout for {name} {type}");
        }
    }
}
