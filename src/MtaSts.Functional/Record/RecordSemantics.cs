using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8461 §3.1 over the fields the grammar read: <c>id</c> is required, the first
/// <c>v</c> and <c>id</c> win (D-03), extensions are kept in order (D-08).
/// </summary>
internal static class RecordSemantics
{
    public static Either<MtaStsError, StsRecord> Apply(Seq<RecordField> fields)
    {
        string? id = null;
        var extensions = new List<Extension>();
        foreach (var field in fields)
        {
            switch (field)
            {
                case RecordField.Id f:
                    id ??= f.Value; // D-03: first wins; later ones were still checked by the grammar (D-02).
                    break;
                case RecordField.Ext f:
                    extensions.Add(f.Extension);
                    break;
                case RecordField.Version:
                    break; // D-03: a repeated v=STSv1 is ignored.
                default:
                    throw new System.Diagnostics.UnreachableException();
            }
        }

        return id is null
            ? new MtaStsError.MissingField("id")
            : StsRecord.Trusted(PolicyId.Trusted(id), extensions.ToSeq());
    }
}
