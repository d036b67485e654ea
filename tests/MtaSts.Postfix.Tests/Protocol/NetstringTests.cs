using System.Buffers;
using System.Text;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix.Tests.Protocol;

/// <summary>Netstrings (cr.yp.to/proto/netstrings.txt) with socketmap_table(5)'s limits.</summary>
public class NetstringTests
{
    private static NetstringStatus Read(string text, out string payload, out int next, out NetstringError error, int max = Netstring.MaxQueryBytes)
    {
        var bytes = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(text));
        var status = Netstring.TryRead(bytes, max, out var p, out var position, out error);
        payload = Encoding.ASCII.GetString(p);
        next = (int)bytes.Slice(0, position).Length;
        return status;
    }

    public static TheoryData<string, NetstringError, string> Malformed => new()
    {
        { "10001:", NetstringError.TooLong, "a query over 10,000 bytes is refused as soon as its length is read" },
        { "99999999999999999999:", NetstringError.TooLong, "a length that would overflow is refused at the digit that passes the limit" },
        { "01:a,", NetstringError.LeadingZero, "leading zero" },
        { "00:,", NetstringError.LeadingZero, "two zeros" },
        { ":,", NetstringError.BadLength, "empty length" },
        { "1a:x,", NetstringError.BadLength, "non-digit in the length" },
        { "-1:x,", NetstringError.BadLength, "a sign is not a digit" },
        { " 1:x,", NetstringError.BadLength, "leading space" },
        { "3:abc;", NetstringError.MissingComma, "wrong terminator" },
        { "3:abcd,", NetstringError.MissingComma, "payload longer than its length" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryRead_Malformed_Invalid(string frame, NetstringError expected, string reason)
    {
        Assert.Equal((NetstringStatus.Invalid, expected), (Read(frame, out _, out _, out var error), error));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("12")]
    [InlineData("12:")]
    [InlineData("3:ab")]
    [InlineData("3:abc")]
    [InlineData("10000:")]
    public void TryRead_PrefixOfValidFrame_Incomplete(string prefix) =>
        Assert.Equal(NetstringStatus.Incomplete, Read(prefix, out _, out _, out _));

    [Theory]
    [InlineData("0:,", "", 3)]
    [InlineData("3:abc,", "abc", 6)]
    [InlineData("3:abc,2:de,", "abc", 6)]
    [InlineData("11:postfix a.b,", "postfix a.b", 15)]
    public void TryRead_Complete_PayloadAndNext(string frame, string payload, int next)
    {
        Assert.Equal(NetstringStatus.Complete, Read(frame, out var p, out var n, out _));
        Assert.Equal((payload, next), (p, n));
    }

    [Fact]
    public void TryRead_ExactlyTheLimit_Complete()
    {
        var frame = "10000:" + new string('a', 10_000) + ",";
        Assert.Equal(NetstringStatus.Complete, Read(frame, out var payload, out _, out _));
        Assert.Equal(10_000, payload.Length);
    }

    [Fact]
    public void TryRead_FrameSplitAcrossSegments_Complete()
    {
        var first = new Segment(Encoding.ASCII.GetBytes("11:postf"));
        var last = first.Append(Encoding.ASCII.GetBytes("ix a.b,"));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        Assert.Equal(NetstringStatus.Complete, Netstring.TryRead(sequence, 100, out var payload, out _, out _));
        Assert.Equal("postfix a.b", Encoding.ASCII.GetString(payload));
    }

    /// <summary>Encode then read gives the payload back, for every length across a digit boundary.</summary>
    [Fact]
    public void Encode_ThenTryRead_GivesPayloadBack()
    {
        foreach (var length in new[] { 0, 1, 9, 10, 99, 100, 9_999, 10_000 })
        {
            var payload = Enumerable.Range(0, length).Select(static i => (byte)(i % 251)).ToArray();
            var frame = Netstring.Encode(payload);
            Assert.Equal(NetstringStatus.Complete, Netstring.TryRead(new ReadOnlySequence<byte>(frame), Netstring.MaxQueryBytes, out var read, out _, out _));
            Assert.Equal(payload, read.ToArray());
            Assert.Equal($"{length}:", Encoding.ASCII.GetString(frame, 0, length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length + 1));
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
