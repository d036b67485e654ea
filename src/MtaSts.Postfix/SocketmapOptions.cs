namespace MtaSts.Postfix;

/// <summary>Settings of the Postfix socketmap server (<c>mta-sts serve</c>).</summary>
public sealed class SocketmapOptions
{
    /// <summary>
    /// Where to listen: <c>IP:PORT</c> (IPv6 as <c>[::1]:PORT</c>) or <c>unix:PATH</c>. Default
    /// <c>127.0.0.1:8461</c> (socketmap_table(5) has no authentication: keep it on loopback or a unix socket).
    /// </summary>
    public IList<string> Listen { get; } = [];

    /// <summary>The file mode of a unix socket (octal, default <c>0666</c>: Postfix's smtp runs as another user).</summary>
    public UnixFileMode SocketMode { get; set; } = (UnixFileMode)Convert.ToInt32("666", 8);

    /// <summary>The map name of the plain reply (default <c>postfix</c>; any Postfix ≥ 3.4).</summary>
    public string MapName { get; set; } = "postfix";

    /// <summary>The map name of the reply with TLSRPT attributes (default <c>postfix-tlsrpt</c>; Postfix ≥ 3.10).</summary>
    public string TlsrptMapName { get; set; } = "postfix-tlsrpt";

    /// <summary>
    /// The longest a query waits for discovery (default 30 s, below Postfix's 100 s). A slower discovery
    /// answers <c>NOTFOUND </c> now and completes in the background, filling the cache.
    /// </summary>
    public TimeSpan ReplyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A connection is closed when no whole request arrives for this long (default 102 s, just above
    /// Postfix's 100 s; a client sending one byte at a time does not extend it).
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(102);

    /// <summary>Connections served at once (default 512); more wait in the listen backlog.</summary>
    public int MaxConnections { get; set; } = 512;

    /// <summary>Answer a <c>testing</c> policy like <c>enforce</c> (default false: RFC 8461 §5 testing never refuses delivery).</summary>
    public bool StrictTesting { get; set; }

    /// <summary>Add <c>servername=hostname</c> (default true; Postfix before 3.4 rejects the attribute).</summary>
    public bool ServerName { get; set; } = true;

    /// <summary>Check DANE first and hand DANE domains to Postfix's DANE (default true; RFC 8461 §2, M-06).</summary>
    public bool Dane { get; set; } = true;

    /// <summary>How long a DANE check result is kept (default 5 minutes; a temporary failure 30 s).</summary>
    public TimeSpan DaneCacheTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Apply the policy of <c>domain</c> to a bracketed next hop <c>[domain]</c> or <c>[domain]:port</c>
    /// from the transport table (default false: such a route is not a recipient domain and gets <c>NOTFOUND </c>).
    /// </summary>
    public bool ApplyBracketed { get; set; }

    /// <summary>Serve Prometheus metrics at <c>http://IP:PORT/metrics</c> (default: off).</summary>
    public string? Metrics { get; set; }

    /// <summary>
    /// How many epoll event loops serve the connections (Linux; default 1: one thread answers warm queries
    /// without a hand-off, benchmarks/README.md). 0, and every other system, uses .NET's socket engine.
    /// </summary>
    internal int EventLoops { get; set; } = 1;

    /// <summary>The endpoints to listen on: <see cref="Listen"/>, or the default.</summary>
    internal IReadOnlyList<string> ListenOrDefault => Listen.Count > 0 ? [.. Listen] : ["127.0.0.1:8461"];
}
