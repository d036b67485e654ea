using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>Parsers are total: any string gives a value or a typed error inside the input, never an exception.</summary>
public class TotalityLaws
{
    /// <summary>Any string (including null, controls and lone surrogates) parses to a value or a positioned error (RFC 8461 §3.1, §3.2).</summary>
    [Property(MaxTest = 1000)]
    public Property AnyStringGivesAValueOrAPositionedError(string? input) =>
        (Positioned(input, Policy.Parse(input, ParseMode.Strict).Match(static _ => null, static e => e))
         && Positioned(input, Policy.Parse(input, ParseMode.Lenient).Match(static _ => null, static e => e))
         && Positioned(input, StsRecord.Parse(input, ParseMode.Strict).Match(static _ => null, static e => e))
         && Positioned(input, StsRecord.Parse(input, ParseMode.Lenient).Match(static _ => null, static e => e)))
        .Classify(input is null, "null")
        .Classify(input?.Any(char.IsSurrogate) == true, "surrogates")
        .Classify(input?.Any(char.IsControl) == true, "controls");

    /// <summary>Record-shaped noise: text that starts like a record but continues with arbitrary characters.</summary>
    [Property(MaxTest = 1000)]
    public bool RecordPrefixedNoiseGivesAValueOrAPositionedError(string? tail) =>
        Positioned("v=STSv1; " + tail, StsRecord.Parse("v=STSv1; " + tail, ParseMode.Lenient).Match(static _ => null, static e => e))
        && Positioned("version: STSv1\n" + tail, Policy.Parse("version: STSv1\n" + tail, ParseMode.Lenient).Match(static _ => null, static e => e));

    private static bool Positioned(string? input, MtaStsError? error)
    {
        var text = input ?? string.Empty;
        return error switch
        {
            null => true,
            MtaStsError.Syntax s => s.Line >= 1 && s.Column >= 1 && s.Column <= text.Length + 1 && s.Rule.Length > 0
                && s.Line <= 1 + text.Count(static c => c is '\n' or '\r'),
            _ => error.All.Count >= 1,
        };
    }
}
