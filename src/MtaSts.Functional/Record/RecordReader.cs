using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>A TXT record as read once: its fields, the prose rules' verdict on each, and the record.</summary>
/// <param name="Fields">The fields as the grammar read them (offsets in the parsed text).</param>
/// <param name="Verdicts">For each field, what the prose rules made of it (applied, or a repeat: D-03).</param>
/// <param name="Text">The text the grammar read (the repaired text in lenient mode).</param>
/// <param name="Map">From the parsed text back to the caller's (lenient repairs, L-01).</param>
/// <param name="Parsed">The record and its warnings.</param>
internal sealed record RecordReading(IReadOnlyList<RecordField> Fields, Verdict[] Verdicts, string Text, SourceMap Map, Parsed<StsRecord> Parsed);

/// <summary>
/// Reads one TXT record: the lenient repair when asked (L-01), the grammar, then the prose rules
/// (<see cref="RecordSemantics"/>). <c>StsRecord.Parse</c> and <c>Explain</c> read through here.
/// </summary>
internal static class RecordReader
{
    /// <summary>The record alone, strictly (the hot path of discovery: no reading kept).</summary>
    public static Either<MtaStsError, StsRecord> Strict(string? text) =>
        Grammar.TryRun(RecordGrammar.TextRecord, text ?? string.Empty, RuleNames.TextRecord, null, out var fields, out var error)
            ? RecordSemantics.Apply(fields, RecordSemantics.Verdicts(fields))
            : error;

    public static Either<MtaStsError, RecordReading> Read(string? text, ParseMode mode)
    {
        var input = text ?? string.Empty;
        var (parsed, map, warnings) = mode == ParseMode.Lenient ? RecordLenient.Repair(input) : (input, new SourceMap(input), Seq<ParseWarning>.Empty);
        return Grammar.Run(RecordGrammar.TextRecord, parsed, RuleNames.TextRecord, map).Bind(fields =>
        {
            var verdicts = RecordSemantics.Verdicts(fields);
            return RecordSemantics.Apply(fields, verdicts).Map(record => new RecordReading(fields, verdicts, parsed, map, new Parsed<StsRecord>(record, warnings)));
        });
    }
}
