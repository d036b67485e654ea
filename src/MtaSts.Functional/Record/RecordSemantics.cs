using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8461 §3.1 over the fields the grammar read, once, for <c>StsRecord.Parse</c>
/// and <c>Explain</c>: the first <c>v</c> and <c>id</c> win and later ones are ignored
/// (<see cref="Duplicates"/>, D-03), <c>id</c> is required, extensions are kept in order (D-08).
/// </summary>
internal static class RecordSemantics
{
    /// <summary>D-03, for each field: -1 when it is applied, otherwise the index of the earlier field it repeats.</summary>
    public static int[] Duplicates(IReadOnlyList<RecordField> fields)
    {
        var firstOf = new int[fields.Count];
        int version = -1, id = -1;
        for (var i = 0; i < fields.Count; i++)
        {
            firstOf[i] = fields[i] switch
            {
                RecordField.Version => First(ref version, i),
                RecordField.Id => First(ref id, i),
                RecordField.Ext => -1,
                _ => throw new System.Diagnostics.UnreachableException(),
            };
        }

        return firstOf;
    }

    /// <summary>The record the applied fields give, or <see cref="MtaStsError.MissingField"/> for <c>id</c>.</summary>
    public static Either<MtaStsError, StsRecord> Apply(IReadOnlyList<RecordField> fields, int[] duplicates)
    {
        string? id = null;
        List<Extension>? extensions = null;
        for (var i = 0; i < fields.Count; i++)
        {
            switch (fields[i])
            {
                case RecordField.Id f when duplicates[i] < 0:
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

    /// <summary>-1 for the first occurrence (remembered in <paramref name="first"/>), else the first's index.</summary>
    private static int First(ref int first, int index)
    {
        if (first >= 0)
        {
            return first;
        }

        first = index;
        return -1;
    }
}
