using System.Globalization;
using LanguageExt;
using MtaSts.Functional.Lifecycle;
using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// The stored form of a <see cref="CacheEntry"/>: a Redis hash whose field <c>v</c> is the format version
/// (<see cref="Version"/>). Times are unix milliseconds. The policy is stored as the text fetched and parsed
/// again on read, so Redis never hands the resolver a policy the grammar rejects.
/// <code>
/// v   format version ("1")        pf  policy fetched-at     pid  policy id     pt  policy text    pe  policy expires-at
/// fa  last failure at             fid failed id             fk   failure kind  fd  failure detail u   last use
/// </code>
/// </summary>
internal static class EntryCodec
{
    /// <summary>The format written by this version; any other value under <c>v</c> is foreign.</summary>
    public const string Version = "1";

    /// <summary>The fields in the order every script and every read uses.</summary>
    public static readonly RedisValue[] Fields = ["v", "pf", "pid", "pt", "pe", "fa", "fid", "fk", "fd", "u"];

    /// <summary>The fields as Lua list text, for the scripts.</summary>
    public static string LuaFields => string.Join(", ", Fields.Select(static f => $"'{f}'"));

    /// <summary>The entry as the values of <see cref="Fields"/> (empty string = absent).</summary>
    public static RedisValue[] Encode(CacheEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var policy = entry.Policy.IsSome ? (CachedPolicy)entry.Policy : null;
        var failure = entry.LastFailure.IsSome ? (FailedFetch)entry.LastFailure : null;
        return
        [
            Version,
            policy is null ? RedisValue.EmptyString : policy.FetchedAt.ToUnixTimeMilliseconds(),
            policy?.Id.Value ?? string.Empty,
            policy?.Text ?? string.Empty,
            policy is null ? RedisValue.EmptyString : policy.ExpiresAt.ToUnixTimeMilliseconds(),
            failure is null ? RedisValue.EmptyString : failure.At.ToUnixTimeMilliseconds(),
            failure?.Id.Value ?? string.Empty,
            failure?.Failure.Kind.ToString() ?? string.Empty,
            failure?.Failure.Detail ?? string.Empty,
            entry.LastUsed.ToUnixTimeMilliseconds(),
        ];
    }

    /// <summary>
    /// The values of <see cref="Fields"/> (as <c>HMGET</c> returns them) back into an entry: none when the key
    /// is absent, an error text when the value is corrupt or of another format.
    /// </summary>
    public static Either<string, Option<CacheEntry>> Decode(PolicyDomain domain, ReadOnlySpan<RedisValue> values)
    {
        if (values.Length != Fields.Length)
        {
            return $"expected {Fields.Length} fields, got {values.Length}";
        }

        var allAbsent = true;
        foreach (var v in values)
        {
            allAbsent &= v.IsNull;
        }

        if (allAbsent)
        {
            return Option<CacheEntry>.None;
        }

        if ((string?)values[0] != Version)
        {
            return $"unknown format version '{Printable(values[0])}' (this version reads '{Version}')";
        }

        var lastUse = Time(values[9]);
        if (lastUse.IsNone)
        {
            return $"last use '{Printable(values[9])}' is not a time";
        }

        var used = (DateTimeOffset)lastUse;

        var policy = Option<CachedPolicy>.None;
        if (!IsAbsent(values[1]))
        {
            var fetched = Time(values[1]);
            var expires = Time(values[4]);
            if (fetched.IsNone || expires.IsNone)
            {
                return "the policy's fetched-at or expires-at is not a time";
            }

            var fetchedAt = (DateTimeOffset)fetched;
            var expiresAt = (DateTimeOffset)expires;

            var text = (string?)values[3] ?? string.Empty;
            var parsed = from id in PolicyId.Create((string?)values[2]).ToOption()
                         from p in Policy.Parse(text).ToOption()
                         select new CachedPolicy(id, p, text, fetchedAt, expiresAt);
            if (parsed.IsNone)
            {
                return "the stored policy id or text is not valid";
            }

            policy = parsed;
        }

        var failure = Option<FailedFetch>.None;
        if (!IsAbsent(values[5]))
        {
            var failedAt = Time(values[5]);
            var failedId = PolicyId.Create((string?)values[6]);
            if (failedAt.IsNone
                || !Enum.TryParse<FetchFailureKind>((string?)values[7], ignoreCase: false, out var kind)
                || !Enum.IsDefined(kind)
                || failedId.IsLeft)
            {
                return "the stored failure is not valid";
            }

            var at = (DateTimeOffset)failedAt;

            failure = new FailedFetch((PolicyId)failedId, at, new FetchFailure(kind, (string?)values[8] ?? string.Empty));
        }

        return Prelude.Some(new CacheEntry(domain, policy, failure, used));
    }

    private static bool IsAbsent(RedisValue value) => value.IsNull || value == RedisValue.EmptyString;

    private static Option<DateTimeOffset> Time(RedisValue value) =>
        long.TryParse((string?)value, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : Option<DateTimeOffset>.None;

    private static string Printable(RedisValue value)
    {
        var text = (string?)value ?? "(none)";
        return text.Length > 40 ? text[..40] + "…" : text;
    }
}
