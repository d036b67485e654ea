using LanguageExt;
using MtaSts.Postfix.Protocol;

namespace MtaSts.Postfix.Tests.Protocol;

/// <summary>
/// Policy lines with <c>{</c> or <c>}</c> (an extension value may hold any VCHAR, RFC 8461 §3.2) in the TLSRPT
/// reply, judged by a model of Postfix's own tokenizer (<see cref="PostfixPolicyTokenizer"/>): every reply
/// Postfix can parse; TLSRPT attributes are written exactly when Postfix reads every policy line back intact.
/// </summary>
public class TlsrptBraceTests
{
    private const string Head = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n";
    private static readonly ReplyOptions Default = new(StrictTesting: false, ServerName: true);

    public static TheoryData<string, bool> Values => new()
    {
        { "plain text, with commas and spaces", true },
        { "a{b}c", true },
        { "{}", true },
        { "{{nested} {twice}}", true },
        { "}", false },
        { "{", false },
        { "a}b", false },
        { "a{b", false },
        { "}{", false },
        { "{a}}{", false },
        { "{a} } {b}", false },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void TlsrptMap_ExtensionWithBraces_AttributesExactlyWhenPostfixReadsTheLineBack(string value, bool carried)
    {
        var text = Head + "x_note: " + value + "\r\n";
        var reply = PolicyReplies.ForPolicy("example.com", Prelude.Some(ReplyRuleTests.Cached(text)), MapKind.Tlsrpt, Default);
        var plain = PolicyReplies.ForPolicy("example.com", Prelude.Some(ReplyRuleTests.Cached(text)), MapKind.Plain, Default);
        Assert.Equal(carried, PolicyReplies.TlsrptAttributesFit(text));
        if (carried)
        {
            Assert.EndsWith(" { policy_string = x_note: " + value + " }", reply.Render(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(plain.Render(), reply.Render());   // the plain reply: no TLSRPT attribute at all
        }
    }

    /// <summary>
    /// Every extension value over <c>{ } a SP</c> up to 5 characters (768 policies): the TLSRPT reply
    /// tokenizes without error in Postfix's parser; when it has <c>policy_type=sts</c> its policy strings are
    /// the policy lines exactly; and the attributes are left out only when Postfix could not have read the line
    /// back (the same line written as a braced item does not come back intact). Both outcomes occur.
    /// </summary>
    [Fact]
    public void TlsrptMap_EveryShortBraceValue_ParsedByPostfixAndLeftOutOnlyWhenItMustBe()
    {
        var carried = 0;
        var leftOut = 0;
        foreach (var value in Words("{}a ", 5).Where(static w => w[0] != ' ' && w[^1] != ' '))
        {
            var text = Head + "x_note: " + value + "\r\n";
            var data = ((SocketmapReply.Ok)PolicyReplies.ForPolicy("example.com", Prelude.Some(ReplyRuleTests.Cached(text)), MapKind.Tlsrpt, Default)).Data;
            var (level, attributes, error) = PostfixPolicyTokenizer.Tokenize(data);
            Assert.True(error is null, $"'{value}': Postfix would reject the reply: {error}");
            Assert.Equal("secure", level);
            var strings = attributes.Where(static a => a.Name == "policy_string").Select(static a => a.Value).ToArray();
            var hasType = attributes.Any(static a => a.Name == "policy_type");
            var alone = PostfixPolicyTokenizer.Tokenize("secure { policy_string = x_note: " + value + " } { policy_string = next }");
            var readBack = alone.Error is null && alone.Attributes.SequenceEqual([("policy_string", "x_note: " + value), ("policy_string", "next")]);
            Assert.True(readBack == hasType, $"'{value}': attributes written {hasType}, Postfix reads the line back {readBack}");
            if (hasType)
            {
                Assert.Equal([.. PolicyReplies.PolicyLines(text)], strings);
                carried++;
            }
            else
            {
                Assert.Empty(strings);
                Assert.DoesNotContain(attributes, static a => a.Name is "policy_domain" or "mx_host_pattern");
                leftOut++;
            }
        }

        Assert.True(carried > 0 && leftOut > 0, $"carried {carried}, left out {leftOut}");
    }

    private static IEnumerable<string> Words(string alphabet, int maxLength)
    {
        IEnumerable<string> level = [string.Empty];
        for (var length = 1; length <= maxLength; length++)
        {
            level = [.. level.SelectMany(w => alphabet.Select(c => w + c))];
            foreach (var word in level)
            {
                yield return word;
            }
        }
    }
}
