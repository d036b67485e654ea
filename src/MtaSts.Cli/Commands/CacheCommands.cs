using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using MtaSts.Functional.Lifecycle;
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

    /// <summary>Opens the cache file for a cache command, or says why it cannot be used.</summary>
    private static async Task<Either<CliFailure, (string File, IPolicyCache Cache)>> OpenAsync(string? path, string? redis)
    {
        if (redis is not null)
        {
            return (await RedisCli.CacheAsync(redis).ConfigureAwait(false)).Map(c => ($"redis {redis}", (IPolicyCache)c));
        }

        var file = path ?? DefaultPath;
        if (!File.Exists(file))
        {
            return new CliFailure(ExitCodes.Usage, $"no cache file at {file} (run 'mta-sts check DOMAIN --cache {file}' to fill one)");
        }

        var cache = new SqlitePolicyCache(file);
        return cache.Problem is { } problem
            ? new CliFailure(ExitCodes.Invalid, $"{file}: the cache file is unusable: {problem}")
            : (file, (IPolicyCache)cache);
    }

    /// <summary><c>cache list</c>: every entry.</summary>
    public static async Task<int> List(CliConsole console, string? path, bool json, CancellationToken cancellationToken, string? redis = null)
    {
        var opened = await OpenAsync(path, redis).ConfigureAwait(false);
        if (opened.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)opened);
        }

        var (file, cache) = ((string, IPolicyCache))opened;
        using var owned = cache as IDisposable;
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
    }

    /// <summary><c>cache show DOMAIN</c>: one entry and its policy text.</summary>
    public static async Task<int> Show(CliConsole console, string domain, string? path, bool json, CancellationToken cancellationToken, string? redis = null)
    {
        var opened = await OpenAsync(path, redis).ConfigureAwait(false);
        if (opened.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)opened);
        }

        var (_, cache) = ((string, IPolicyCache))opened;
        using var owned = cache as IDisposable;
        var parsed = PolicyDomain.Parse(domain);
        if (parsed.IsLeft)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"'{domain}': {((MtaStsError)parsed).Render()}"));
        }

        var name = (PolicyDomain)parsed;
        var found = await cache.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (found.IsNone)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Invalid, $"{name}: not in the cache"));
        }

        var entry = (CacheEntry)found;
        console.Out.WriteLine(json
            ? Json.Line(Entry(entry))
            : $"{entry.Domain}  {Summary(entry)}\n" + entry.Policy.Match(static p => "  " + p.Text.ReplaceLineEndings("\n  ").TrimEnd(' '), static () => string.Empty));
        return ExitCodes.Ok;
    }

    /// <summary><c>cache purge [DOMAIN]</c>: one entry, or every entry.</summary>
    public static async Task<int> Purge(CliConsole console, string? domain, string? path, bool json, CancellationToken cancellationToken, string? redis = null)
    {
        var opened = await OpenAsync(path, redis).ConfigureAwait(false);
        if (opened.IsLeft)
        {
            return FileCommands.Fail(console, (CliFailure)opened);
        }

        var (file, cache) = ((string, IPolicyCache))opened;
        using var owned = cache as IDisposable;
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

        var parsed = PolicyDomain.Parse(domain);
        if (parsed.IsLeft)
        {
            return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, $"'{domain}': {((MtaStsError)parsed).Render()}"));
        }

        var key = (PolicyDomain)parsed;
        var removed = await cache.RemoveAsync(key, cancellationToken).ConfigureAwait(false);
        console.Out.WriteLine(json ? Json.Line(new JsonObject { ["removed"] = removed ? 1 : 0, ["domain"] = key.Value }) : removed ? $"{file}: removed {key}" : $"{file}: {key} was not in the cache");
        return removed ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    private static string Summary(CacheEntry e) =>
        e.Policy.Match(
            static p => $"id {p.Id}, mode {p.Policy.Mode.ToKeyword()}, fetched {Time(p.FetchedAt)}, expires {Time(p.ExpiresAt)}",
            static () => "no policy")
        + e.LastFailure.Match(static f => $"; last failure {Time(f.At)} for id {f.Id}: {f.Failure}", static () => string.Empty);

    private static string Time(DateTimeOffset t) => t.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Entry(CacheEntry e) => new()
    {
        ["domain"] = e.Domain.Value,
        ["id"] = Json.OrNull(e.Policy, static p => p.Id.Value),
        ["mode"] = Json.OrNull(e.Policy, static p => p.Policy.Mode.ToKeyword()),
        ["fetchedAt"] = Json.OrNull(e.Policy, static p => p.FetchedAt.ToString("O", CultureInfo.InvariantCulture)),
        ["expiresAt"] = Json.OrNull(e.Policy, static p => p.ExpiresAt.ToString("O", CultureInfo.InvariantCulture)),
        ["policy"] = Json.OrNull(e.Policy, static p => p.Text),
        ["lastFailure"] = Json.OrNull(e.LastFailure, static f => new JsonObject { ["id"] = f.Id.Value, ["at"] = f.At.ToString("O", CultureInfo.InvariantCulture), ["resultType"] = f.Failure.ResultType, ["detail"] = f.Failure.Detail }),
        ["lastUsed"] = e.LastUsed.ToString("O", CultureInfo.InvariantCulture),
    };
}
