using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tooling;

/// <summary>Everything wrong with an input, and every warning, for a linter.</summary>
/// <param name="Errors">The problems, syntax errors in line order first, then the prose rules (D-07, …).</param>
/// <param name="Warnings">The warnings (lenient repairs, the D-04 clamp), when the input is otherwise valid.</param>
public sealed record LintReport(Seq<MtaStsError> Errors, Seq<ParseWarning> Warnings)
{
    /// <summary>No errors.</summary>
    public bool IsValid => Errors.IsEmpty;

    /// <summary>
    /// Suggestions, in input order: one for each error where the fix is obvious (<see cref="Lint.Hint"/>), and
    /// one for each line that a valid input repeats and that is therefore ignored (RFC 8461 §3.2, D-03).
    /// </summary>
    public Seq<LintHint> Hints { get; init; } = Seq<LintHint>.Empty;
}

/// <summary>A suggestion of the linter: where, about which ABNF rule, and what to do.</summary>
/// <param name="Line">1-based line, or 0 when the hint is about the whole input (a missing field).</param>
/// <param name="Column">1-based column, or 0 with <paramref name="Line"/> 0.</param>
/// <param name="Rule">The ABNF rule it is about, e.g. <c>sts-policy-mode</c>.</param>
/// <param name="Text">The suggestion.</param>
public sealed record LintHint(int Line, int Column, string Rule, string Text);

/// <summary>
/// All the problems of a policy or record, not only the first: the parser stops at the first
/// syntax error, so the linter reads a policy as a survey (<c>PolicyReader.Survey</c>), in which a line
/// the grammar refuses is set aside and the rest is read again, until the remaining lines parse (policy
/// lines are independent in the §3.2 grammar); every line then has its verdict: set aside, applied, or
/// ignored as a repeat. Missing-field errors for a field whose line was set aside are not reported (the
/// field is there, only broken).
/// </summary>
public static partial class Lint
{
    /// <summary>At most this many syntax errors are collected.</summary>
    public const int MaxErrors = PolicyReader.MaxSetAside;

    /// <summary>Lints a policy file.</summary>
    /// <param name="text">The policy text.</param>
    /// <param name="mode">Strict, or lenient (L-01 repairs become warnings).</param>
    /// <returns>The report.</returns>
    public static LintReport Policy(string? text, ParseMode mode = ParseMode.Strict)
    {
        var survey = PolicyReader.Survey(text, mode);
        var setAside = survey.Lines.Select(static l => l.Verdict).OfType<Verdict.SetAside>().Select(static v => (MtaStsError)v.Error).ToSeq().Strict();
        return survey.Rest.Bind(static r => r.Policy).Match(
            Right: policy => new LintReport(setAside, policy.Warnings.Map(w => w with { Line = survey.LineOf(w.Line) }).Strict())
            {
                Hints = HintsFor(setAside) + Repeats(survey),
            },
            Left: error =>
            {
                var errors = (setAside + error.All.Filter(e => !Consequence(e, survey)).Map(e => e is MtaStsError.Syntax s ? s with { Line = survey.LineOf(s.Line) } : e)).Strict();
                return new LintReport(errors, Seq<ParseWarning>.Empty) { Hints = HintsFor(errors) };
            });
    }

    /// <summary>Lints one TXT record (strings already concatenated).</summary>
    /// <param name="text">The record text.</param>
    /// <param name="mode">Strict, or lenient.</param>
    /// <returns>The report.</returns>
    public static LintReport Record(string? text, ParseMode mode = ParseMode.Strict) =>
        StsRecord.ParseWithWarnings(text, mode).Match(
            Right: static r => new LintReport(Seq<MtaStsError>.Empty, r.Warnings),
            Left: static e => new LintReport(e.All, Seq<ParseWarning>.Empty) { Hints = HintsFor(e.All) });

    /// <summary>
    /// The hint for an error where the fix is obvious, or null: a U-label where an A-label is required
    /// (RFC 8461 §3.2), a trailing dot on an <c>mx</c> value, a keyword in the wrong case (RFC 7405
    /// <c>%s</c>), the <c>max_age</c> and <c>version</c> shapes, a missing field (D-07).
    /// </summary>
    /// <param name="error">One error (not <see cref="MtaStsError.Several"/>; see <see cref="MtaStsError.All"/>).</param>
    /// <returns>The hint, positioned at the error, or null.</returns>
    public static LintHint? Hint(MtaStsError error) => error switch
    {
        _ when TlsRptHint(error) is { } tlsrpt => tlsrpt,
        MtaStsError.Syntax s when s.Rule is RuleNames.PolicyMx or RuleNames.PolicyMxValue or RuleNames.Domain or RuleNames.SubDomain or RuleNames.LetDig or RuleNames.LdhStr
            && PolicyLineText.Value(s.SourceLine) is { } value && !System.Text.Ascii.IsValid(value) && ToAscii(value) is { } ascii
            => At(s, $"mx values must be A-labels: did you mean {ascii}?"),
        // A trailing dot is refused at the end of the Domain ("." must be followed by a sub-domain, D-06); the lenient repair drops one dot.
        MtaStsError.Syntax s when s.Rule is RuleNames.Domain && PolicyLineText.Value(s.SourceLine) is { } value && value.EndsWith('.') && MxPattern.Parse(value[..^1]).IsRight
            => At(s, $"remove the trailing dot: {value[..^1]} (lenient mode accepts it with a warning)"),
        MtaStsError.Syntax s when s.Rule is RuleNames.PolicyMode or RuleNames.PolicyModeValue && PolicyLineText.Value(s.SourceLine) is { } value
            && value.ToLowerInvariant() is "enforce" or "testing" or "none" && value != value.ToLowerInvariant()
            => At(s, $"mode values are case-sensitive: did you mean '{value.ToLowerInvariant()}'?"),
        MtaStsError.Syntax s when s.Rule is RuleNames.PolicyMaxAge or RuleNames.PolicyMaxAgeValue
            => At(s, $"max_age is 1 to 10 ASCII digits: the number of seconds, at most {MaxAge.MaximumSeconds} (RFC 8461 §3.2)"),
        MtaStsError.Syntax s when s.Rule is RuleNames.PolicyVersion or RuleNames.PolicyVersionValue
            => At(s, "the first line must be exactly 'version: STSv1'"),
        MtaStsError.MissingField { Field: "id" } => new LintHint(0, 0, RuleNames.Id, "add 'id=<1 to 32 letters or digits>;' after 'v=STSv1;' (RFC 8461 §3.1)"),
        MtaStsError.MissingField f => new LintHint(0, 0, FieldRule(f.Field), $"add a line '{f.Field}: …'"),
        MtaStsError.MxRequired => new LintHint(0, 0, RuleNames.PolicyMx, "add one 'mx: <host>' line per MX host, or use 'mode: none'"),
        _ => null,
    };

    private static LintHint At(MtaStsError.Syntax s, string text) => new(s.Line, s.Column, s.Rule, text);

    private static string FieldRule(string field) => field switch
    {
        "version" => RuleNames.PolicyVersion,
        "mode" => RuleNames.PolicyMode,
        "max_age" => RuleNames.PolicyMaxAge,
        _ => RuleNames.PolicyField,
    };

    private static Seq<LintHint> HintsFor(IEnumerable<MtaStsError> errors) =>
        errors.SelectMany(static e => e.All).Select(Hint).OfType<LintHint>().ToSeq().Strict();

    /// <summary>A hint for each line the prose rules ignore as a repeat (its <see cref="Verdict.Repeat"/>, D-03).</summary>
    private static Seq<LintHint> Repeats(PolicySurvey survey) =>
        survey.Lines
            .Select(static (line, index) => line.Verdict is Verdict.Repeat r
                ? new LintHint(
                    index + 1,
                    line.Column,
                    r.Why == RepeatReason.SamePattern ? RuleNames.PolicyMx : FieldRule(PolicyLineText.Name(line.Text)),
                    $"this line repeats line {r.First + 1} and is ignored: the first one counts (RFC 8461 §3.2 [D-03]); remove it")
                : null)
            .OfType<LintHint>()
            .ToSeq()
            .Strict();

    /// <summary>IDNA ToASCII of a suggested value (a wildcard keeps its <c>*.</c>), or null when it cannot be converted.</summary>
    private static string? ToAscii(string value) =>
        value.StartsWith("*.", StringComparison.Ordinal)
            ? HostNames.ToAscii(value[2..]) is { } parent ? "*." + parent : null
            : HostNames.ToAscii(value);

    /// <summary>"version/mode/max_age missing" or "mx required" when such a line was set aside as broken.</summary>
    private static bool Consequence(MtaStsError error, PolicySurvey survey) => error switch
    {
        MtaStsError.MissingField f => SetAside(survey, f.Field),
        MtaStsError.MxRequired => SetAside(survey, "mx"),
        _ => false,
    };

    private static bool SetAside(PolicySurvey survey, string field) =>
        survey.Lines.Any(l => l.Verdict is Verdict.SetAside && PolicyLineText.Name(l.Text) == field);

    /// <summary>The lines with their terminators (LF, CRLF or a bare CR, as <c>SourceMap</c> counts them).</summary>
    internal static List<string> Lines(string text) => Syntax.Lines.Texts(text);
}
