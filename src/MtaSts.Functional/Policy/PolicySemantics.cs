using LanguageExt;


namespace MtaSts.Functional.Syntax;

/// <summary>
/// The prose rules of RFC 8461 §3.2 over the lines the grammar read, once, for <c>Policy.Parse</c>,
/// <c>Explain</c> and <c>Lint</c> alike: which line is applied and which is ignored as a repeat of an
/// earlier one (<see cref="Verdicts"/>, D-03), and the policy with every violation gathered
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
    /// D-03, for each line: applied, or ignored as a repeat of an earlier applied line (the same non-repeated
    /// field — <c>version</c>, <c>mode</c>, <c>max_age</c> — or the same lower-cased <c>mx</c> pattern, F-04).
    /// Extensions are never repeats (D-08).
    /// </summary>
    /// <remarks>
    /// Each line is compared with an earlier one only when their <see cref="Key"/>s are equal, so a policy of
    /// n <c>mx</c> lines costs n pattern hashes and n² integer comparisons rather than n² pattern comparisons.
    /// </remarks>
    public static Verdict[] Verdicts(IReadOnlyList<PolicyLine> lines)
    {
        var verdicts = new Verdict[lines.Count];
        Span<int> keys = lines.Count <= 128 ? stackalloc int[lines.Count] : new int[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            verdicts[i] = Verdict.Applied.Instance;
            keys[i] = Key(lines[i]);
            for (var j = 0; j < i; j++)
            {
                if (keys[j] == keys[i] && verdicts[j] is Verdict.Applied && Repeats(lines[i], lines[j]) is { } why)
                {
                    verdicts[i] = new Verdict.Repeat(j, why);
                    break;
                }
            }
        }

        return verdicts;
    }

    /// <summary>The policy the applied lines give, or every violation of the prose rules.</summary>
    /// <param name="lines">The lines, as the grammar read them.</param>
    /// <param name="verdicts">Their <see cref="Verdicts"/>.</param>
    /// <param name="map">Positions for the D-04 warning.</param>
    public static Either<MtaStsError, Parsed<Policy>> Apply(IReadOnlyList<PolicyLine> lines, Verdict[] verdicts, SourceMap map)
    {
        var sawVersion = false;
        PolicyMode? mode = null;
        PolicyLine.MaxAgeField? maxAge = null;
        var mx = new List<MxPattern>(lines.Count);
        List<Extension>? extensions = null;
        for (var i = 0; i < lines.Count; i++)
        {
            if (verdicts[i] is not Verdict.Applied)
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

        // Every violation, gathered (D-07): each requirement gives its violation or none, and the violations
        // accumulate in order (the applicative accumulation of LanguageExt's Validation, over a span: no
        // closure or allocation when every requirement holds, which is what a parse usually finds).
        var violations = Violations(
            Required(sawVersion, "version"),
            Required(mode is not null, "mode"),
            Required(maxAge is not null, "max_age"),
            MxPresent(mode, mx));
        if (!violations.IsEmpty)
        {
            return MtaStsError.Of(violations);
        }

        var clamped = maxAge!.Seconds > MaxAge.MaximumSeconds
            ? Prelude.Seq1(map.Warning(WarningKind.MaxAgeClamped, maxAge.ValueOffset, $"max_age {maxAge.Seconds} is above {MaxAge.MaximumSeconds}; clamped to {MaxAge.MaximumSeconds} (D-04)"))
            : Seq<ParseWarning>.Empty;
        var policy = Policy.Trusted(mode!.Value, mx.ToSeq(), MaxAge.Clamped(maxAge.Seconds), extensions is null ? Seq<Extension>.Empty : extensions.ToSeq());
        return new Parsed<Policy>(policy, clamped);
    }

    /// <summary>The violations among <paramref name="requirements"/> (null where one holds), in order.</summary>
    private static Seq<MtaStsError> Violations(params ReadOnlySpan<MtaStsError?> requirements)
    {
        var violations = Seq<MtaStsError>.Empty;
        foreach (var violation in requirements)
        {
            violations = violation is null ? violations : violations.Add(violation);
        }

        return violations;
    }

    /// <summary>Equal for two lines that may repeat each other (the field, or the pattern's hash); other lines may share one too.</summary>
    private static int Key(PolicyLine line) => line switch
    {
        PolicyLine.MxField m => m.Pattern.GetHashCode(),
        _ => line.GetType().GetHashCode(),
    };

    /// <summary>Why <paramref name="line"/> repeats <paramref name="earlier"/>, or null when it does not.</summary>
    private static RepeatReason? Repeats(PolicyLine line, PolicyLine earlier) => (line, earlier) switch
    {
        (PolicyLine.VersionField, PolicyLine.VersionField) => RepeatReason.SameField,
        (PolicyLine.ModeField, PolicyLine.ModeField) => RepeatReason.SameField,
        (PolicyLine.MaxAgeField, PolicyLine.MaxAgeField) => RepeatReason.SameField,
        (PolicyLine.MxField a, PolicyLine.MxField b) when a.Pattern == b.Pattern => RepeatReason.SamePattern,
        _ => null,
    };

    /// <summary>D-07: a required field, or its <see cref="MtaStsError.MissingField"/>.</summary>
    private static MtaStsError? Required(bool present, string field) => present ? null : new MtaStsError.MissingField(field);

    /// <summary>D-07: at least one <c>mx</c> unless the mode is <c>none</c> (a missing mode is reported on its own).</summary>
    private static MtaStsError? MxPresent(PolicyMode? mode, List<MxPattern> mx) =>
        mode is { } m && m != PolicyMode.None && mx.Count == 0 ? new MtaStsError.MxRequired(m) : null;
}
