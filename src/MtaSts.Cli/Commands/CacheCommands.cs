using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using MtaSts.Functional.Resolver;

namespace MtaSts.Cli;

/// <summary><c>cache list|show|purge</c> over the resolver's SQLite cache file.</summary>
internal static class CacheCommands
{
    /// <summary><c>$XDG_CACHE_HOME/mta-sts/cache.db</c>, else <c>~/.cache/mta-sts/cache.db</c>.</summary>
    public static string DefaultPath =>
        Path.Combine(
            Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"),
            "mta-sts",
            "cache.db");

    public static async Task<int> Run(CliConsole console, string action, string? domain, string? path, bool json, CancellationToken cancellationToken, string? redis = null)
    {
        var shared = redis is null ? null : (await RedisCli.CacheAsync(redis).ConfigureAwait(false)).Case;
        if (shared is CliFailure unreachable)
        {
            return FileCommands.Fail(console, unreachable);
        }

        using var redisCache = shared as Functional.Resolver.Redis.RedisPolicyCache;
        var file = redisCache is null ? path ?? DefaultPath : $"redis {redis}";
        if (redisCache is null && !File.Exists(file))
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"no cache file at {file} (run 'mta-sts check DOMAIN --cache {file}' to fill one)"));
        }

        IPolicyCache cache = redisCache ?? (IPolicyCache)new SqlitePolicyCache(file);
        if (cache is SqlitePolicyCache { Problem: { } problem })
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Invalid, $"{file}: the cache file is unusable: {problem}"));
        }

        switch (action)
        {
            case "list":
                var entries = await cache.ListAsync(cancellationToken).ConfigureAwait(false);
                if (json)
                {
                    console.Out.WriteLine(Json.Line(new JsonArray([.. entries.Map(Entry)])));
                }
                else
                {
                    var text = new StringBuilder($"{file}: {entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}\n");
                    foreach (var e in entries)
                    {
                        text.Append($"  {e.Domain}  {Summary(e)}\n");
                    }

                    console.Out.Write(text.ToString());
                }

                return ExitCodes.Ok;
            case "show":
                var normalized = MtaStsResolver.Normalize(domain);
                if (normalized.Case is MtaStsError invalid)
                {
                    return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"'{domain}': {invalid.Render()}"));
                }

                var found = await cache.GetAsync((string)normalized.Case!, cancellationToken).ConfigureAwait(false);
                if (found.Case is not CacheEntry entry)
                {
                    return FileCommands.Fail(console, new CliFailure(ExitCodes.Invalid, $"{normalized.Case}: not in the cache"));
                }

                console.Out.WriteLine(json
                    ? Json.Line(Entry(entry))
                    : $"{entry.Domain}  {Summary(entry)}\n" + entry.Policy.Match(static p => "  " + p.Text.ReplaceLineEndings("\n  ").TrimEnd(' '), static () => string.Empty));
                return ExitCodes.Ok;
            case "purge":
                if (domain is null)
                {
                    var all = await cache.ListAsync(cancellationToken).ConfigureAwait(false);
                    foreach (var e in all)
                    {
                        await cache.RemoveAsync(e.Domain, cancellationToken).ConfigureAwait(false);
                    }

                    console.Out.WriteLine(json ? Json.Line(new JsonObject { ["removed"] = all.Count }) : $"{file}: removed {all.Count} entr{(all.Count == 1 ? "y" : "ies")}");
                    return ExitCodes.Ok;
                }

                var key = MtaStsResolver.Normalize(domain).IfLeft(domain);
                var removed = await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
                console.Out.WriteLine(json ? Json.Line(new JsonObject { ["removed"] = removed ? 1 : 0, ["domain"] = key }) : removed ? $"{file}: removed {key}" : $"{file}: {key} was not in the cache");
                return removed ? ExitCodes.Ok : ExitCodes.Invalid;
            default:
                throw new System.Diagnostics.UnreachableException();
        }
    }

    private static string Summary(CacheEntry e) =>
        e.Policy.Match(
            static p => $"id {p.Id}, mode {p.Policy.Mode.ToKeyword()}, fetched {Time(p.FetchedAt)}, expires {Time(p.ExpiresAt)}",
            static () => "no policy")
        + e.LastFailure.Match(static f => $"; last failure {Time(f.At)} for id {f.Id}: {f.Failure}", static () => string.Empty);

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Entry(CacheEntry e) => new()
    {
        ["domain"] = e.Domain,
        ["id"] = Json.OrNull(e.Policy, static p => p.Id.Value),
        ["mode"] = Json.OrNull(e.Policy, static p => p.Policy.Mode.ToKeyword()),
        ["fetchedAt"] = Json.OrNull(e.Policy, static p => p.FetchedAt.ToString("O", CultureInfo.InvariantCulture)),
        ["expiresAt"] = Json.OrNull(e.Policy, static p => p.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
        ["policy"] = Json.OrNull(e.Policy, static p => p.Text),
        ["lastFailure"] = Json.OrNull(e.LastFailure, static f => new JsonObject { ["id"] = f.Id.Value, ["at"] = f.At.ToString("O", CultureInfo.InvariantCulture), ["resultType"] = f.Failure.ResultType, ["detail"] = f.Failure.Detail }),
        ["lastUsed"] = e.LastUsed.ToString("O", CultureInfo.InvariantCulture),
    };
}
