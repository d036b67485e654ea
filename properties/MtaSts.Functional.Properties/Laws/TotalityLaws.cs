using FsCheck;
using FsCheck.Fluent;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>Parsers are total: any string gives a value or a typed error inside the input, never an exception.</summary>
public class TotalityLaws
{
    /// <summary>Any string (including null, controls and lone surrogates) parses to a value or a positioned error (RFC 8461 §3.1, §3.2).</summary>
    [Law]
    public Property AnyStringGivesAValueOrAPositionedError(string? input) =>
        (Positioned(input, Policy.Parse(input, ParseMode.Strict).Match(static _ => null, static e => e))
         && Positioned(input, Policy.Parse(input, ParseMode.Lenient).Match(static _ => null, static e => e))
         && Positioned(input, StsRecord.Parse(input, ParseMode.Strict).Match(static _ => null, static e => e))
         && Positioned(input, StsRecord.Parse(input, ParseMode.Lenient).Match(static _ => null, static e => e)))
        .Classify(input is null, "null")
        .Classify(input?.Any(char.IsSurrogate) == true, "surrogates")
        .Classify(input?.Any(char.IsControl) == true, "controls");

    /// <summary>Record-shaped noise: text that starts like a record but continues with arbitrary characters.</summary>
    [Law]
    public bool RecordPrefixedNoiseGivesAValueOrAPositionedError(string? tail) =>
        Positioned("v=STSv1; " + tail, StsRecord.Parse("v=STSv1; " + tail, ParseMode.Lenient).Match(static _ => null, static e => e))
        && Positioned("version: STSv1\n" + tail, Policy.Parse("version: STSv1\n" + tail, ParseMode.Lenient).Match(static _ => null, static e => e));

    /// <summary>
    /// D-12: a policy of at most 65,536 UTF-8 bytes is parsed; one byte more is refused before parsing,
    /// counting bytes, not UTF-16 units (padding mixes one- and two-byte characters).
    /// </summary>
    [Law]
    public Property SizeLimitIsExactlyD12(Policy policy) =>
        Prop.ForAll(
            Arb.From(Gen.Choose(Policy.MaxBytes - 200, Policy.MaxBytes + 200).Two()),
            sizes =>
            {
                var (target, twoByte) = (sizes.Item1, sizes.Item2 % 50);
                var text = Padded(policy.Render(), target, twoByte);
                var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
                var result = Policy.Parse(text);
                return (bytes <= Policy.MaxBytes
                        ? result.IsRight
                        : result.Match(static _ => false, e => e == new MtaStsError.TooLarge(bytes, Policy.MaxBytes)))
                    .Classify(bytes <= Policy.MaxBytes, "at or under the limit")
                    .Classify(bytes == Policy.MaxBytes || bytes == Policy.MaxBytes + 1, "on the boundary");
            });

    /// <summary>Appends an extension line so that the whole text is exactly <paramref name="targetBytes"/> UTF-8 bytes.</summary>
    private static string Padded(string policy, int targetBytes, int twoByteChars)
    {
        var room = targetBytes - System.Text.Encoding.UTF8.GetByteCount(policy) - "pad: \r\n".Length;
        var twoByte = Math.Min(twoByteChars, Math.Max(0, (room - 1) / 2));
        var oneByte = Math.Max(1, room - (2 * twoByte));
        return policy + "pad: " + new string('a', oneByte) + new string('é', twoByte) + "\r\n";
    }

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
