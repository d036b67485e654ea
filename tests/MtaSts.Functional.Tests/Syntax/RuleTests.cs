using System.Reflection;
using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>
/// Every ABNF rule of RFC 8461 §3.1 and §3.2 (and what they import) has its own parser field, named
/// after the rule, that accepts a sample of the rule and, given a wrong first character, names the rule.
/// </summary>
public class RuleTests
{
    public static TheoryData<Type, string, string, string, string> Rules => new()
    {
        // grammar class, field, ABNF name, a valid sample, an input whose first character is wrong
        { typeof(CoreRules), "Alpha", "ALPHA", "a", "1" },
        { typeof(CoreRules), "Digit", "DIGIT", "7", "a" },
        { typeof(CoreRules), "Wsp", "WSP", "\t", "x" },
        { typeof(CoreRules), "Sp", "SP", " ", "\t" },
        { typeof(CoreRules), "Htab", "HTAB", "\t", " " },
        { typeof(CoreRules), "Lf", "LF", "\n", "\r" },
        { typeof(CoreRules), "Cr", "CR", "\r", "\n" },
        { typeof(CoreRules), "Crlf", "CRLF", "\r\n", "\n" },
        { typeof(CoreRules), "AlphaDigit", "ALPHA / DIGIT", "a", "-" },
        { typeof(Utf8Rules), "Utf8_2", "UTF8-2", "é", "a" },
        { typeof(Utf8Rules), "Utf8_3", "UTF8-3", "日", "é" },
        { typeof(Utf8Rules), "Utf8_4", "UTF8-4", "😀", "日" },
        { typeof(DomainGrammar), "LetDig", "Let-dig", "a", "-" },
        { typeof(DomainGrammar), "LdhStr", "Ldh-str", "a-b", "." },
        { typeof(DomainGrammar), "SubDomain", "sub-domain", "mail", "-" },
        { typeof(DomainGrammar), "Domain", "Domain", "mail.example.com", "." },
        { typeof(RecordGrammar), "Version", "sts-version", "v=STSv1", "V" },
        { typeof(RecordGrammar), "Id", "sts-id", "id=abc", "x" },
        { typeof(RecordGrammar), "ExtName", "sts-ext-name", "x-y.z_1", "_" },
        { typeof(RecordGrammar), "ExtValue", "sts-ext-value", "1:2/3", "=" },
        { typeof(RecordGrammar), "Extension", "sts-extension", "a=b", "=" },
        { typeof(RecordGrammar), "Field", "sts-field", "id=abc", ";" },
        { typeof(RecordGrammar), "FieldDelim", "sts-field-delim", " ; ", "x" },
        { typeof(RecordGrammar), "TextRecord", "sts-text-record", "v=STSv1; id=abc;", "x" },
        { typeof(PolicyGrammar), "PolicyTerm", "sts-policy-term", "\r\n", "x" },
        { typeof(PolicyGrammar), "PolicyFieldDelim", "sts-policy-field-delim", ": ", " " },
        { typeof(PolicyGrammar), "PolicyVersionField", "sts-policy-version-field", "version", "V" },
        { typeof(PolicyGrammar), "PolicyVersionValue", "sts-policy-version-value", "STSv1", "s" },
        { typeof(PolicyGrammar), "PolicyVersion", "sts-policy-version", "version: STSv1", "x" },
        { typeof(PolicyGrammar), "PolicyModeField", "sts-policy-mode-field", "mode", "M" },
        { typeof(PolicyGrammar), "PolicyModeValue", "sts-policy-mode-value", "testing", "T" },
        { typeof(PolicyGrammar), "PolicyMode", "sts-policy-mode", "mode:none", "x" },
        { typeof(PolicyGrammar), "PolicyMxField", "sts-policy-mx-field", "mx", "M" },
        { typeof(PolicyGrammar), "PolicyMxValue", "sts-policy-mx-value", "*.example.net", "." },
        { typeof(PolicyGrammar), "PolicyMx", "sts-policy-mx", "mx: a.example", "x" },
        { typeof(PolicyGrammar), "PolicyMaxAgeField", "sts-policy-max-age-field", "max_age", "M" },
        { typeof(PolicyGrammar), "PolicyMaxAgeValue", "sts-policy-max-age-value", "0000604800", "+" },
        { typeof(PolicyGrammar), "PolicyMaxAge", "sts-policy-max-age", "max_age: 1", "x" },
        { typeof(PolicyGrammar), "PolicyAlphanum", "sts-policy-alphanum", "Z", "_" },
        { typeof(PolicyGrammar), "PolicyExtName", "sts-policy-ext-name", "a_b-c.d", "-" },
        { typeof(PolicyGrammar), "PolicyVchar", "sts-policy-vchar", "~", " " },
        { typeof(PolicyGrammar), "PolicyExtValue", "sts-policy-ext-value", "a  b:c é", " " },
        { typeof(PolicyGrammar), "PolicyExtension", "sts-policy-extension", "foo: bar", ":" },
        { typeof(PolicyGrammar), "PolicyField", "sts-policy-field", "mx: a.example", ":" },
        { typeof(PolicyGrammar), "PolicyRecord", "sts-policy-record", "version: STSv1\nmode: none\nmax_age: 1\n", " " },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void RuleField_AcceptsItsSampleAndNamesItselfWhenItFails(Type grammar, string field, string abnf, string valid, string invalid)
    {
        var info = grammar.GetField(field, BindingFlags.Public | BindingFlags.Static);
        Assert.NotNull(info);
        Assert.True(info.IsInitOnly, $"{grammar.Name}.{field} must be static readonly");
        var run = typeof(RuleTests).GetMethod(nameof(Run), BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(ResultType(info.FieldType));

        var (accepted, _) = ((bool, List<string>))run.Invoke(null, [info.GetValue(null), valid])!;
        var (rejected, labels) = ((bool, List<string>))run.Invoke(null, [info.GetValue(null), invalid])!;

        Assert.True(accepted, $"{abnf} should accept {valid}");
        Assert.False(rejected);
        Assert.Contains(abnf, labels);
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("12", "12")]
    [InlineData("1234", "123")]
    [InlineData("x", "")]
    public void Repeat_MinZero_TakesUpToMax_AndNeverFails(string input, string taken)
    {
        var result = Abnf.Repeat(0, 3, CoreRules.Digit).Text().Parse(input);

        Assert.True(result.Success);
        Assert.Equal(taken, result.Value);
    }

    /// <summary>The <c>T</c> of the <c>Parser&lt;char, T&gt;</c> a rule field is (a character class is a <c>Parser&lt;char, char&gt;</c>).</summary>
    private static Type ResultType(Type type)
    {
        while (!(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Parser<,>)))
        {
            type = type.BaseType!;
        }

        return type.GetGenericArguments()[1];
    }

    private static (bool Success, List<string> Labels) Run<T>(Parser<char, T> parser, string input)
    {
        var result = parser.Before(Parser<char>.End).Parse(input);
        return (result.Success, result.Success ? [] : result.Error!.Expected.Select(static e => e.Label ?? string.Empty).ToList());
    }
}
