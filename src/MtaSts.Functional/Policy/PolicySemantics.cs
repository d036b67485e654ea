using LanguageExt;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8461 §3.2 over the lines the grammar read. Every violation is gathered,
/// not just the first: <c>version</c>, <c>mode</c>, <c>max_age</c> required (D-07); <c>mx</c> required
/// unless the mode is <c>none</c> (D-07); the first of a repeated field wins (D-03); identical
/// (lower-cased) <c>mx</c> patterns are kept once (D-03, F-04); <c>max_age</c> above 31557600 is
/// clamped with a warning (D-04, F-03); extensions kept in order (D-08).
/// </summary>
internal static class PolicySemantics
{
    public static Either<MtaStsError, Parsed<Policy>> Apply(Seq<PolicyLine> fields, SourceMap map)
    {
        var sawVersion = false;
        PolicyMode? mode = null;
        PolicyLine.MaxAgeField? maxAge = null;
        var mx = new List<MxPattern>();
        var extensions = new List<Extension>();
        foreach (var field in fields)
        {
            switch (field)
            {
                case PolicyLine.VersionField:
                    sawVersion = true;
                    break;
                case PolicyLine.ModeField f:
                    mode ??= f.Mode;
                    break;
                case PolicyLine.MaxAgeField f:
                    maxAge ??= f;
                    break;
                case PolicyLine.MxField f:
                    if (!mx.Contains(f.Pattern))
                    {
                        mx.Add(f.Pattern);
                    }

                    break;
                case PolicyLine.ExtField f:
                    extensions.Add(f.Extension);
                    break;
                default:
                    throw new System.Diagnostics.UnreachableException();
            }
        }

        var errors = new List<MtaStsError>();
        if (!sawVersion)
        {
            errors.Add(new MtaStsError.MissingField("version"));
        }

        if (mode is null)
        {
            errors.Add(new MtaStsError.MissingField("mode"));
        }

        if (maxAge is null)
        {
            errors.Add(new MtaStsError.MissingField("max_age"));
        }

        if (mode is { } m && m != PolicyMode.None && mx.Count == 0)
        {
            errors.Add(new MtaStsError.MxRequired(m));
        }

        if (errors.Count > 0 || mode is null || maxAge is null)
        {
            return MtaStsError.Of(errors.ToSeq());
        }

        var warnings = maxAge.Seconds > MaxAge.MaximumSeconds
            ? Prelude.Seq1(map.Warning(WarningKind.MaxAgeClamped, maxAge.ValueOffset, $"max_age {maxAge.Seconds} is above {MaxAge.MaximumSeconds}; clamped to {MaxAge.MaximumSeconds} (D-04)"))
            : Seq<ParseWarning>.Empty;
        return new Parsed<Policy>(Policy.Trusted(mode.Value, mx.ToSeq(), MaxAge.Clamped(maxAge.Seconds), extensions.ToSeq()), warnings);
    }
}
