using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>A TXT record as read once: its fields, the prose rules' verdict on each, and the record.</summary>
/// <param name="Fields">The fields as the grammar read them (offsets in the parsed text).</param>
/// <param name="Duplicates">For each field, -1 when applied, else the index of the field it repeats (D-03).</param>
/// <param name="Text">The text the grammar read (the repaired text in lenient mode).</param>
/// <param name="Map">From the parsed text back to the caller's (lenient repairs, L-01).</param>
/// <param name="Parsed">The record and its warnings.</param>
internal sealed record RecordReading(IReadOnlyList<RecordField> Fields, int[] Duplicates, string Text, SourceMap Map, Parsed<StsRecord> Parsed);

/// <summary>
/// Reads one TXT record: the lenient repair when asked (L-01), the grammar, then the prose rules
/// (<see cref="RecordSemantics"/>). <c>StsRecord.Parse</c> and <c>Explain</c> read through here.
/// </summary>
internal static class RecordReader
{
    /// <summary>The record alone, strictly (the hot path of discovery: no reading kept).</summary>
    public static Either<MtaStsError, StsRecord> Strict(string? text) =>
        Grammar.Run(RecordGrammar.TextRecord, text ?? string.Empty, RuleNames.TextRecord)
            .Bind(static fields => RecordSemantics.Apply(fields, RecordSemantics.Duplicates(fields)));

    public static Either<MtaStsError, RecordReading> Read(string? text, ParseMode mode)
    {
        var input = text ?? string.Empty;
        var (parsed, map, warnings) = mode == ParseMode.Lenient ? RecordLenient.Repair(input) : (input, new SourceMap(input), Seq<ParseWarning>.Empty);
        return Grammar.Run(RecordGrammar.TextRecord, parsed, RuleNames.TextRecord, map).Bind(fields =>
        {
            var duplicates = RecordSemantics.Duplicates(fields);
            return RecordSemantics.Apply(fields, duplicates).Map(record => new RecordReading(fields, duplicates, parsed, map, new Parsed<StsRecord>(record, warnings)));
        });
    }
}
