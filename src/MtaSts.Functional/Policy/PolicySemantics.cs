using LanguageExt;


namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8461 §3.2 over the lines the grammar read, once, for <c>Policy.Parse</c>,
/// <c>Explain</c> and <c>Lint</c> alike: which line is applied and which is ignored as a repeat of an
/// earlier one (<see cref="Duplicates"/>, D-03), and the policy with every violation gathered
/// (<see cref="Apply"/>).
/// </summary>
/// <remarks>
/// <c>version</c>, <c>mode</c>, <c>max_age</c> required (D-07); <c>mx</c> required unless the mode is
/// <c>none</c> (D-07); the first of a repeated field wins (D-03); identical (lower-cased) <c>mx</c> patterns
/// are kept once (D-03, F-04); <c>max_age</c> above 31557600 is clamped with a warning (D-04, F-03);
/// extensions kept in order (D-08).
/// </remarks>
internal static class PolicySemantics
{
    /// <summary>
    /// D-03, for each line: -1 when it is applied, otherwise the index of the earlier line it repeats (the
    /// same non-repeated field — <c>version</c>, <c>mode</c>, <c>max_age</c> — or the same lower-cased
    /// <c>mx</c> pattern, F-04). Extensions are never repeats (D-08).
    /// </summary>
    public static int[] Duplicates(IReadOnlyList<PolicyLine> lines)
    {
        var firstOf = new int[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            firstOf[i] = -1;
            for (var j = 0; j < i && firstOf[i] < 0; j++)
            {
                if (firstOf[j] < 0 && Repeats(lines[i], lines[j]))
                {
                    firstOf[i] = j;
                }
            }
        }

        return firstOf;
    }

    /// <summary>The policy the applied lines give, or every violation of the prose rules.</summary>
    /// <param name="lines">The lines, as the grammar read them.</param>
    /// <param name="duplicates">Their <see cref="Duplicates"/>.</param>
    /// <param name="map">Positions for the D-04 warning.</param>
    public static Either<MtaStsError, Parsed<Policy>> Apply(IReadOnlyList<PolicyLine> lines, int[] duplicates, SourceMap map)
    {
        var sawVersion = false;
        PolicyMode? mode = null;
        PolicyLine.MaxAgeField? maxAge = null;
        var mx = new List<MxPattern>(lines.Count);
        List<Extension>? extensions = null;
        for (var i = 0; i < lines.Count; i++)
        {
            if (duplicates[i] >= 0)
            {
                continue; // D-03: a repeat is ignored (the grammar has checked it, D-02)
            }

            switch (lines[i])
            {
                case PolicyLine.VersionField:
                    sawVersion = true;
                    break;
                case PolicyLine.ModeField f:
                    mode = f.Mode;
                    break;
                case PolicyLine.MaxAgeField f:
                    maxAge = f;
                    break;
                case PolicyLine.MxField f:
                    mx.Add(f.Pattern);
                    break;
                case PolicyLine.ExtField f:
                    (extensions ??= []).Add(f.Extension);
                    break;
                default:
                    throw new System.Diagnostics.UnreachableException();
            }
        }

        // Every violation, gathered (D-07): each requirement is a Validation, and Apply accumulates the
        // failures in order; the parts of the policy travel as successes, so the combining function is static.
        var clamped = maxAge is { Seconds: > MaxAge.MaximumSeconds } over
            ? Prelude.Seq1(map.Warning(WarningKind.MaxAgeClamped, over.ValueOffset, $"max_age {over.Seconds} is above {MaxAge.MaximumSeconds}; clamped to {MaxAge.MaximumSeconds} (D-04)"))
            : Seq<ParseWarning>.Empty;
        var rest = Prelude.Success<MtaStsError, (Seq<Extension>, Seq<ParseWarning>)>((extensions is null ? Seq<Extension>.Empty : extensions.ToSeq(), clamped));
        return (Required(sawVersion, "version"), Required(mode, "mode"), Required(maxAge, "max_age"), MxPresent(mode, mx), rest)
            .Apply(static (_, m, a, patterns, r) => new Parsed<Policy>(Policy.Trusted(m, patterns, MaxAge.Clamped(a.Seconds), r.Item1), r.Item2))
            .ToEither()
            .MapLeft(MtaStsError.Of);
    }

    private static bool Repeats(PolicyLine line, PolicyLine earlier) => (line, earlier) switch
    {
        (PolicyLine.VersionField, PolicyLine.VersionField) => true,
        (PolicyLine.ModeField, PolicyLine.ModeField) => true,
        (PolicyLine.MaxAgeField, PolicyLine.MaxAgeField) => true,
        (PolicyLine.MxField a, PolicyLine.MxField b) => a.Pattern == b.Pattern,
        _ => false,
    };

    private static Validation<MtaStsError, bool> Required(bool present, string field) =>
        present ? Prelude.Success<MtaStsError, bool>(true) : Prelude.Fail<MtaStsError, bool>(new MtaStsError.MissingField(field));

    private static Validation<MtaStsError, T> Required<T>(T? value, string field)
        where T : class =>
        value is null ? Prelude.Fail<MtaStsError, T>(new MtaStsError.MissingField(field)) : Prelude.Success<MtaStsError, T>(value);

    private static Validation<MtaStsError, PolicyMode> Required(PolicyMode? value, string field) =>
        value is { } v ? Prelude.Success<MtaStsError, PolicyMode>(v) : Prelude.Fail<MtaStsError, PolicyMode>(new MtaStsError.MissingField(field));

    /// <summary>D-07: at least one <c>mx</c> unless the mode is <c>none</c> (a missing mode is reported on its own).</summary>
    private static Validation<MtaStsError, Seq<MxPattern>> MxPresent(PolicyMode? mode, List<MxPattern> mx) =>
        mode is { } m && m != PolicyMode.None && mx.Count == 0
            ? Prelude.Fail<MtaStsError, Seq<MxPattern>>(new MtaStsError.MxRequired(m))
            : Prelude.Success<MtaStsError, Seq<MxPattern>>(mx.ToSeq());
}
