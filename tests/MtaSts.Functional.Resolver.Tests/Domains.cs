using LanguageExt;

namespace MtaSts.Functional.Resolver.Tests;

/// <summary>Test shorthands: a test names its domain as text; the ports take a <see cref="PolicyDomain"/>.</summary>
internal static class Domains
{
    public static PolicyDomain D(this string domain) =>
        PolicyDomain.Parse(domain).IfLeft(e => throw new InvalidOperationException(e.Render()));

    public static ValueTask<Option<CacheEntry>> GetAsync(this IPolicyCache cache, string domain) => cache.GetAsync(domain.D());

    public static ValueTask<bool> RemoveAsync(this IPolicyCache cache, string domain) => cache.RemoveAsync(domain.D());

    public static Task<FetchOutcome> FetchAsync(this PolicyFetcher fetcher, string domain, CancellationToken cancellationToken = default) => fetcher.FetchAsync(domain.D(), cancellationToken);

    public static async Task<TxtOutcome> LookupTxtAsync(this DnsDiscovery dns, string domain) => (await dns.LookupTxtAsync(domain.D())).Outcome;
}
