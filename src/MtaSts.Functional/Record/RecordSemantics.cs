using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8461 §3.1 over the fields the grammar read, once, for <c>StsRecord.Parse</c>
/// and <c>Explain</c>: the first <c>v</c> and <c>id</c> win and later ones are ignored
/// (<see cref="Verdicts"/>, D-03), <c>id</c> is required, extensions are kept in order (D-08).
/// </summary>
internal static class RecordSemantics
{
    /// <summary>D-03, for each field: applied, or ignored as a repeat of the first <c>v</c> or <c>id</c>.</summary>
    public static Verdict[] Verdicts(IReadOnlyList<RecordField> fields)
    {
        var verdicts = new Verdict[fields.Count];
        int version = -1, id = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            verdicts[i] = fields[i] switch
            {
                RecordField.Version => First(ref version, i),
                RecordField.Id => First(ref id, i),
                RecordField.Ext => Verdict.Applied.Instance,
                _ => throw new System.Diagnostics.UnreachableException(),
            };
        }

        return verdicts;
    }

    /// <summary>The record the applied fields give, or <see cref="MtaStsError.MissingField"/> for <c>id</c>.</summary>
    public static Either<MtaStsError, StsRecord> Apply(IReadOnlyList<RecordField> fields, Verdict[] verdicts)
    {
        string? id = null;
        List<Extension>? extensions = null;
        for (var i = 0; i < fields.Count; i++)
        {
            switch (fields[i])
            {
                case RecordField.Id f when verdicts[i] is Verdict.Applied:
                    id = f.Value;
                    break;
                case RecordField.Ext f:
                    (extensions ??= []).Add(f.Extension);
                    break;
                default:
                    break; // v=STSv1, and ignored repeats (D-03; the grammar has checked them, D-02)
            }
        }

        return id is null
            ? new MtaStsError.MissingField("id")
            : StsRecord.Trusted(PolicyId.Trusted(id), extensions is null ? Seq<Extension>.Empty : extensions.ToSeq());
    }

    /// <summary>Applied for the first occurrence (remembered in <paramref name="first"/>), else a repeat of it.</summary>
    private static Verdict First(ref int first, int index)
    {
        if (first >= 0)
        {
            return new Verdict.Repeat(first, RepeatReason.SameField);
        }

        first = index;
        return Verdict.Applied.Instance;
    }
}
