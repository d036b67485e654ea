using FsCheck;
using FsCheck.Fluent;
using LanguageExt;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.1: the TXT record grammar and its canonical printer agree.</summary>
public class RecordGrammarLaws
{
    /// <summary>Parsing the canonical text of any valid record gives that record back (§3.1).</summary>
    [Law]
    public Property ParseInvertsRender(StsRecord record) =>
        (StsRecord.Parse(record.Render()) == Prelude.Right<MtaStsError, StsRecord>(record))
            .Label(record.Render())
            .Classify(!record.Extensions.IsEmpty, "with extensions");

    /// <summary>The canonical text is a fixed point: rendering the re-parsed record gives the same text.</summary>
    [Law]
    public bool RenderIsCanonical(StsRecord record) =>
        StsRecord.Parse(record.Render()).Map(static r => r.Render()) == Prelude.Right<MtaStsError, string>(record.Render());
}
