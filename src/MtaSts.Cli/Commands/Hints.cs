using System.Globalization;

namespace MtaSts.Cli;

/// <summary>One-line hints for the mistakes where the fix is obvious.</summary>
internal static class Hints
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true };

    public static string? For(MtaStsError error) => error switch
    {
        MtaStsError.Syntax s when (s.Rule.StartsWith("sts-policy-mx", StringComparison.Ordinal) || s.Rule is "Domain" or "sub-domain" or "Let-dig" or "Ldh-str")
            && Value(s.SourceLine) is { } value && value.Any(static c => c > 0x7F) && ToAscii(value) is { } ascii
            => $"mx values must be A-labels: did you mean {ascii}?",
        MtaStsError.Syntax s when s.Rule.StartsWith("sts-policy-mx", StringComparison.Ordinal) && Value(s.SourceLine) is { } value && value.EndsWith('.')
            => $"remove the trailing dot: {value.TrimEnd('.')} (lenient mode accepts it with a warning)",
        MtaStsError.Syntax s when s.Rule.StartsWith("sts-policy-mode", StringComparison.Ordinal) && Value(s.SourceLine) is { } value
            && value.ToLowerInvariant() is "enforce" or "testing" or "none" && value != value.ToLowerInvariant()
            => $"mode values are case-sensitive: did you mean '{value.ToLowerInvariant()}'?",
        MtaStsError.Syntax s when s.Rule.StartsWith("sts-policy-max-age", StringComparison.Ordinal)
            => "max_age is 1 to 10 ASCII digits: the number of seconds, at most 31557600 (RFC 8461 §3.2)",
        MtaStsError.Syntax s when s.Rule.StartsWith("sts-policy-version", StringComparison.Ordinal)
            => "the first line must be exactly 'version: STSv1'",
        MtaStsError.MissingField f => $"add a line '{f.Field}: …'",
        MtaStsError.MxRequired => "add one 'mx: <host>' line per MX host, or use 'mode: none'",
        _ => null,
    };

    private static string? Value(string line)
    {
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? null : line[(colon + 1)..].Trim(' ', '\t');
    }

    private static string? ToAscii(string value)
    {
        try
        {
            return value.StartsWith("*.", StringComparison.Ordinal) ? "*." + Idn.GetAscii(value[2..]) : Idn.GetAscii(value);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
