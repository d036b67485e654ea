using StackExchange.Redis;

namespace MtaSts.Functional.Resolver.Redis;

/// <summary>
/// The key layout of one cache. Every key carries the hash tag <c>{prefix}</c>, so all of them hash to one
/// Redis Cluster slot and each script touches one slot:
/// <list type="bullet">
/// <item><c>{p}:e:&lt;domain&gt;</c> — a hash: the versioned entry (<see cref="EntryCodec"/>);</item>
/// <item><c>{p}:due</c> — a sorted set of domains scored by the time the next proactive refresh is due (unix ms);</item>
/// <item><c>{p}:all</c> — a sorted set of every domain scored by its key's expiry (unix ms), for listing and clean-up;</item>
/// <item><c>{p}:lease:&lt;domain&gt;</c> — a string: the node holding the refresh lease;</item>
/// <item>channel <c>{p}:changed</c> — change notices, <c>&lt;node&gt; &lt;domain&gt;</c>.</item>
/// </list>
/// </summary>
internal sealed class RedisKeys
{
    public RedisKeys(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (prefix.AsSpan().IndexOfAny('{', '}') >= 0)
        {
            throw new ArgumentException("the key prefix is the hash tag and may not contain braces", nameof(prefix));
        }

        Tag = "{" + prefix + "}:";
        Due = Tag + "due";
        All = Tag + "all";
        Channel = RedisChannel.Literal(Tag + "changed");
    }

    public string Tag { get; }

    public RedisKey Due { get; }

    public RedisKey All { get; }

    public RedisChannel Channel { get; }

    public RedisKey Entry(string domain) => Tag + "e:" + domain;

    public RedisKey Lease(string domain) => Tag + "lease:" + domain;
}
