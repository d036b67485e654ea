using MtaSts.Functional.Syntax;
using Pidgin;
using static MtaSts.Functional.Syntax.CharClass;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>
/// <see cref="CharClass"/>: its ABNF text (what expectations show) and its membership, at the edges of the
/// ASCII bit sets (63/64, 127/128) and of each range, checked by hand against RFC 5234 §2.3 and §3.2.
/// </summary>
public class CharClassTests
{
    public static TheoryData<string, string, string, string> Classes => new()
    {
        // class (key below), its ABNF text, members, non-members
        { "range", "%x21-7E", "!~@?", " \u007F\u0080" },
        { "printable", "\"-\"", "-", "_" },
        { "space", "%x20", " ", "\t" },
        { "quote", "%x22", "\"", "'" },
        { "delete", "%x7F", "\u007F", "~" },
        { "hex", "%x3C", "<", "=" },
        { "union", "%x21-3A / %x3C / %x3E-7E", "!:<>~", "=; " },
        { "overlapping", "ALPHA / \"a\"", "aZ", "0" },
        { "named", "WSP", " \t", "\r" },
        { "high", "%x80-FF", "\u0080\u00FF", "@\u007F\u0100?" },
        { "wide", "%x100-4E00", "\u0100\u4E00", "\u00FF@\u4E01" },
    };

    internal static CharClass Build(string key) => key switch
    {
        "range" => Range('\x21', '\x7E'),
        "printable" => Of('-'),
        "space" => Of(' '),
        "quote" => Of('"'),
        "delete" => Of('\x7F'),
        "hex" => Hex('<'),
        "union" => Range('\x21', '\x3A') | Hex('\x3C') | Range('\x3E', '\x7E'),
        "overlapping" => CoreRules.Alpha | 'a',
        "named" => (CoreRules.Sp | CoreRules.Htab).Named("WSP"),
        "high" => Range('\u0080', '\u00FF'),
        "wide" => Range('\u0100', '\u4E00'),
        _ => throw new ArgumentOutOfRangeException(nameof(key)),
    };

    [Theory]
    [MemberData(nameof(Classes))]
    public void Class_HasItsAbnfText_AndExactlyItsMembers(string key, string abnf, string members, string others)
    {
        var c = Build(key);

        Assert.Equal(abnf, c.Abnf);
        Assert.Equal(c.Abnf, c.ToString());
        Assert.All(members, m => Assert.True(c.Contains(m), $"{abnf} should contain U+{(int)m:X4}"));
        Assert.All(others, o => Assert.False(c.Contains(o), $"{abnf} should not contain U+{(int)o:X4}"));
        Assert.True(c.All(members));
        Assert.Equal(members.Length, c.Run(members + others));
        Assert.Equal(0, c.Run(others));
        Assert.Equal(-1, c.IndexIn(others));
        Assert.Equal(others.Length, c.IndexIn(others + members));
        Assert.False(c.All(others));
    }

    [Theory]
    [MemberData(nameof(Classes))]
    public void Class_IsAParserOfOneMember_ExpectingItsText(string key, string abnf, string members, string others)
    {
        _ = abnf;
        var c = Build(key);

        var ok = c.Parse(members[..1]);
        var bad = c.Parse(others[..1]);
        var end = c.Parse(string.Empty);

        Assert.True(ok.Success);
        Assert.Equal(members[0], ok.Value);
        Assert.False(bad.Success);
        Assert.Equal(0, bad.Error!.ErrorOffset);
        Assert.Equal(new[] { c.Abnf }, bad.Error.Expected.Select(static e => e.Label).ToArray());
        Assert.False(end.Success);
    }
}
