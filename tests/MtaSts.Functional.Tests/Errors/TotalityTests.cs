namespace MtaSts.Functional.Tests.Errors;

/// <summary>Parsers never throw: hostile input gives a value or a typed error positioned inside the input.</summary>
public class TotalityTests
{
    public static TheoryData<string, string> HostileInputs => new()
    {
        { "empty", string.Empty },
        { "NUL", "\0" },
        { "lone high surrogate", "version: STSv1\nx: a\uD800\n" },
        { "lone low surrogate", "\uDC00" },
        { "reversed surrogate pair", "foo: \uDC00\uD800" },
        { "only CRs", new string('\r', 1000) },
        { "only LFs", new string('\n', 1000) },
        { "deep WSP", new string(' ', 60000) + "x" },
        { "many mx lines", string.Concat(Enumerable.Repeat("mx: a.example\n", 4000)) },
        { "just under the limit", new string('a', Policy.MaxBytes) },
        { "over the limit", new string('a', Policy.MaxBytes + 1) },
        { "far over the limit", new string('\n', 10_000_000) },
        { "multibyte over the limit", new string('日', 30000) },
        { "control characters", string.Concat(Enumerable.Range(0, 32).Select(static i => (char)i)) },
        { "semicolons", new string(';', 5000) },
        { "record prefix then garbage", "v=STSv1;" + new string('\u0085', 100) },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Parse_HostileInput_GivesValueOrPositionedError(string name, string input)
    {
        Assert.NotNull(name);
        foreach (var mode in new[] { ParseMode.Strict, ParseMode.Lenient })
        {
            Check(input, Policy.Parse(input, mode).Match(static _ => null, static e => e));
            Check(input, StsRecord.Parse(input, mode).Match(static _ => null, static e => e));
        }
    }

    private static void Check(string input, MtaStsError? error)
    {
        if (error is MtaStsError.Syntax s)
        {
            var lines = input.Split('\n').Length + input.Count(static c => c == '\r');
            Assert.InRange(s.Line, 1, lines);
            Assert.InRange(s.Column, 1, input.Length + 1);
            Assert.False(string.IsNullOrEmpty(s.Rule));
        }
    }
}
