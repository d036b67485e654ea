using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>
/// The D-06 limits on a syntactically valid <c>Domain</c> (<c>DomainGrammar.Limits</c>): which limit a name breaks
/// first in reading order, and the offset of the first octet past it (or of the offending label).
/// </summary>
public class DomainLimitsTests
{
    private static readonly string Label63 = new('a', 63);
    private static readonly string Label64 = new('a', 64);

    public static TheoryData<string, string, string, int> Rows => new()
    {
        { "ordinary", "mail.example", "None", 0 },
        { "labels of 63 octets", Label63 + "." + Label63, "None", 0 },
        { "one label of 64", Label64, "LabelTooLong", 63 },
        { "first label of 64", Label64 + ".example", "LabelTooLong", 63 },
        { "last label of 64", "a." + Label64, "LabelTooLong", 65 },
        { "numeric last label", "a.123", "NumericTopLabel", 2 },
        { "numeric first label only", "123.a", "None", 0 },
        { "254 octets", string.Join(".", Label63, Label63, Label63, new string('a', 62)), "TooLong", 253 },
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Limits_FirstBrokenLimitAndWhere(string name, string domain, string limit, int offset)
    {
        _ = name;
        var (broken, at) = DomainGrammar.Limits(domain);

        Assert.Equal((limit, offset), (broken.ToString(), at));
    }
}
