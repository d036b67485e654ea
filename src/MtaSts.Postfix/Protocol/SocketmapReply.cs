using System.Diagnostics;
using System.Text;

namespace MtaSts.Postfix.Protocol;

/// <summary>
/// A socketmap reply (socketmap_table(5)): <c>OK data</c>, <c>NOTFOUND </c> (with its space),
/// <c>TEMP reason</c> or <c>PERM reason</c>. Postfix defers the mail on TEMP and treats PERM as a
/// configuration error.
/// </summary>
public abstract record SocketmapReply
{
    private SocketmapReply()
    {
    }

    /// <summary>Not found: Postfix uses its default TLS policy for the next hop.</summary>
    public static SocketmapReply NotFound { get; } = new NotFoundReply();

    /// <summary>The kind as a metric tag: <c>ok</c>, <c>notfound</c>, <c>temp</c>, <c>perm</c>.</summary>
    public string Kind => this switch
    {
        Ok => "ok",
        NotFoundReply => "notfound",
        Temp => "temp",
        Perm => "perm",
        _ => throw new UnreachableException(),
    };

    /// <summary>The reply text, as it goes inside the netstring.</summary>
    /// <returns>The text.</returns>
    public string Render() => this switch
    {
        Ok ok => "OK " + ok.Data,
        NotFoundReply => "NOTFOUND ",
        Temp t => "TEMP " + t.Reason,
        Perm p => "PERM " + p.Reason,
        _ => throw new UnreachableException(),
    };

    /// <summary>
    /// The reply as UTF-8; one over <see cref="Netstring.MaxReplyBytes"/> (Postfix's limit) becomes
    /// <c>TEMP reply too large</c>.
    /// </summary>
    /// <returns>The bytes to frame.</returns>
    public byte[] ToBytes()
    {
        if (this is Ok { Encoded: { } encoded })
        {
            return encoded;
        }

        var bytes = Encoding.UTF8.GetBytes(Render());
        bytes = bytes.Length <= Netstring.MaxReplyBytes ? bytes : TooLarge;
        if (this is Ok ok)
        {
            ok.Encoded = bytes;   // a memoised reply (a warm resolution's) is encoded once
        }

        return bytes;
    }

    /// <inheritdoc/>
    public sealed override string ToString() => Render();

    private static readonly byte[] TooLarge = Encoding.UTF8.GetBytes("TEMP reply too large");

    /// <summary>Found: a TLS policy (a security level and attributes).</summary>
    /// <param name="Data">The policy.</param>
    public sealed record Ok(string Data) : SocketmapReply
    {
        /// <summary>The encoded reply, once <see cref="ToBytes"/> has run (not part of equality).</summary>
        internal byte[]? Encoded { get; set; }

        /// <inheritdoc/>
        public bool Equals(Ok? other) => other is not null && Data == other.Data;

        /// <inheritdoc/>
        public override int GetHashCode() => Data.GetHashCode(StringComparison.Ordinal);
    }

    /// <summary>Not found.</summary>
    public sealed record NotFoundReply : SocketmapReply;

    /// <summary>A temporary failure: Postfix defers the mail and tries again.</summary>
    /// <param name="Reason">Descriptive text, logged by Postfix.</param>
    public sealed record Temp(string Reason) : SocketmapReply;

    /// <summary>A permanent failure (a configuration error on the Postfix side, e.g. an unknown map name).</summary>
    /// <param name="Reason">Descriptive text, logged by Postfix.</param>
    public sealed record Perm(string Reason) : SocketmapReply;
}
