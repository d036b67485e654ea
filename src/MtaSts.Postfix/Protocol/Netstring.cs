using System.Buffers;
using System.Buffers.Text;

namespace MtaSts.Postfix.Protocol;

/// <summary>Why a netstring frame was refused (the connection is closed; nothing else is affected).</summary>
public enum NetstringError
{
    /// <summary>The length is longer than the limit (a query over 10,000 bytes, socketmap_table(5)).</summary>
    TooLong,

    /// <summary>The length has a leading zero (<c>01:</c>); only <c>0</c> itself may start with one.</summary>
    LeadingZero,

    /// <summary>The length is empty or contains something other than ASCII digits before <c>:</c>.</summary>
    BadLength,

    /// <summary>The payload is not followed by <c>,</c>.</summary>
    MissingComma,

    /// <summary>The peer closed the connection inside a frame.</summary>
    Truncated,
}

/// <summary>What <see cref="Netstring.TryRead"/> found at the start of a buffer.</summary>
public enum NetstringStatus
{
    /// <summary>A whole frame: its payload and where the next one starts.</summary>
    Complete,

    /// <summary>A valid beginning of a frame; more bytes are needed.</summary>
    Incomplete,

    /// <summary>The bytes cannot become a valid frame.</summary>
    Invalid,
}

/// <summary>
/// Netstrings (<c>&lt;decimal length&gt;:&lt;bytes&gt;,</c>, cr.yp.to/proto/netstrings.txt), the framing of
/// Postfix's socketmap protocol (socketmap_table(5): "each request and each reply are sent as one
/// netstring object"). Pure: a decoder over a byte sequence and an encoder into a buffer writer.
/// </summary>
public static class Netstring
{
    /// <summary>Postfix's query limit (<c>socketmap_max_query_size</c>, socketmap_table(5) PROTOCOL LIMITS).</summary>
    public const int MaxQueryBytes = 10_000;

    /// <summary>Postfix's reply limit (<c>socketmap_max_reply_size</c>), excluding the framing.</summary>
    public const int MaxReplyBytes = 100_000;

    /// <summary>
    /// Reads one frame from the start of <paramref name="buffer"/>. A refusal is decided as early as the
    /// bytes allow (a length over <paramref name="maxLength"/> is refused before its payload arrives).
    /// </summary>
    /// <param name="buffer">The bytes received so far.</param>
    /// <param name="maxLength">The largest payload accepted.</param>
    /// <param name="payload">The payload, when complete.</param>
    /// <param name="next">Where the next frame starts, when complete.</param>
    /// <param name="error">Why the bytes are refused, when invalid.</param>
    /// <returns>Complete, incomplete or invalid.</returns>
    public static NetstringStatus TryRead(ReadOnlySequence<byte> buffer, int maxLength, out ReadOnlySequence<byte> payload, out SequencePosition next, out NetstringError error)
    {
        payload = default;
        next = buffer.Start;
        error = default;
        var reader = new SequenceReader<byte>(buffer);
        long length = 0;
        var digits = 0;
        while (true)
        {
            if (!reader.TryRead(out var b))
            {
                return NetstringStatus.Incomplete;
            }

            if (b == (byte)':')
            {
                break;
            }

            if (b is < (byte)'0' or > (byte)'9')
            {
                error = NetstringError.BadLength;
                return NetstringStatus.Invalid;
            }

            if (digits == 1 && length == 0)
            {
                error = NetstringError.LeadingZero;
                return NetstringStatus.Invalid;
            }

            length = (length * 10) + (b - '0');
            digits++;
            if (length > maxLength)
            {
                error = NetstringError.TooLong;
                return NetstringStatus.Invalid;
            }
        }

        if (digits == 0)
        {
            error = NetstringError.BadLength;
            return NetstringStatus.Invalid;
        }

        if (reader.Remaining < length + 1)
        {
            return NetstringStatus.Incomplete;
        }

        payload = buffer.Slice(reader.Position, length);
        reader.Advance(length);
        reader.TryRead(out var comma);
        if (comma != (byte)',')
        {
            error = NetstringError.MissingComma;
            return NetstringStatus.Invalid;
        }

        next = reader.Position;
        return NetstringStatus.Complete;
    }

    /// <summary>Writes <paramref name="payload"/> as one netstring.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="payload">The payload.</param>
    public static void Write(IBufferWriter<byte> writer, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(payload.Length + 12);
        Utf8Formatter.TryFormat(payload.Length, span, out var written);
        span[written++] = (byte)':';
        payload.CopyTo(span[written..]);
        written += payload.Length;
        span[written++] = (byte)',';
        writer.Advance(written);
    }

    /// <summary>One netstring as a byte array.</summary>
    /// <param name="payload">The payload.</param>
    /// <returns>The framed bytes.</returns>
    public static byte[] Encode(ReadOnlySpan<byte> payload)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 12);
        Write(buffer, payload);
        return buffer.WrittenSpan.ToArray();
    }
}
