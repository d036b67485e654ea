using System.Text;
using LanguageExt;
using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional;

/// <summary>
/// An MTA-STS policy (RFC 8461 §3.2): mode, allowed MX patterns, lifetime and extension fields.
/// <see cref="Render"/> gives the canonical text; parsing it gives back an equal policy.
/// </summary>
public sealed record Policy
{
    /// <summary>D-12: the largest policy accepted, in UTF-8 bytes (RFC 8461 §3.3's suggested 64 KiB).</summary>
    public const int MaxBytes = 65_536;

    private static readonly System.Collections.Generic.HashSet<string> RegisteredFields = PolicyGrammar.RegisteredNames;
    private static readonly (Parser<char, string>, string) WholeExtName = (Grammar.Whole(PolicyGrammar.PolicyExtName), RuleNames.PolicyExtName);
    private static readonly (Parser<char, string>, string) WholeExtValue = (Grammar.Whole(PolicyGrammar.PolicyExtValue), RuleNames.PolicyExtValue);

    /// <summary>
    /// One shared <see cref="Decision.Deliver"/> per pattern (each holding its pattern), built once here
    /// so that <see cref="Enforcement.Enforce(Policy, string, TlsOutcome)"/> allocates nothing.
    /// Derived from <see cref="Mx"/> and <see cref="Mode"/>, so equality ignores it.
    /// </summary>
    private readonly Decision.Deliver[] deliveries;

    private Policy(PolicyMode mode, Seq<MxPattern> mx, MaxAge maxAge, Seq<Extension> extensions)
    {
        Mode = mode;
        MaxAge = maxAge;

        // A cache may hold a million policies: the sequences are rebuilt at their exact size, and no
        // extensions (the usual case) is the shared empty sequence.
        var patterns = mx.ToArray();
        Extensions = extensions.IsEmpty ? Seq<Extension>.Empty : Prelude.toSeq(extensions.ToArray());
        deliveries = new Decision.Deliver[patterns.Length];
        for (var i = 0; i < patterns.Length; i++)
        {
            deliveries[i] = new Decision.Deliver(patterns[i], mode);
        }
    }

    /// <summary>The policy version; <c>STSv1</c> is the only one (§3.2).</summary>
    public string Version => StsRecord.Version;

    /// <summary>What to do when validation fails (§5).</summary>
    public PolicyMode Mode { get; }

    /// <summary>
    /// Allowed MX patterns, in first-seen order, each once (D-03, F-04). May be empty only in mode
    /// <c>none</c>. Built on each read from the one array the policy keeps (a cache may hold a million
    /// policies); matching and <see cref="Enforcement.Enforce(Policy, string, TlsOutcome)"/> never read it.
    /// </summary>
    public Seq<MxPattern> Mx => Prelude.toSeq(deliveries.Select(static d => d.Pattern).ToArray());

    /// <summary>How long the policy may be cached after it was fetched (§3.2, C-01).</summary>
    public MaxAge MaxAge { get; }

    /// <summary>Extension fields in input order (D-08); they never change a decision.</summary>
    public Seq<Extension> Extensions { get; }

    /// <summary>A policy from its parts, checked like a parsed one.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="mx">MX patterns; required unless <paramref name="mode"/> is <c>none</c> (D-07). Repeats are kept once (D-03).</param>
    /// <param name="maxAge">The lifetime.</param>
    /// <param name="extensions">Extension fields: names per <c>sts-policy-ext-name</c> and not a registered key (D-02), values per <c>sts-policy-ext-value</c>.</param>
    /// <returns>The policy, or every problem found.</returns>
    public static Either<MtaStsError, Policy> Create(PolicyMode mode, IEnumerable<MxPattern>? mx, MaxAge maxAge, IEnumerable<Extension>? extensions = null)
    {
        var patterns = (mx ?? []).Distinct().ToSeq().Strict();
        var exts = (extensions ?? []).ToSeq().Strict();
        var errors = exts.Bind(static e => Grammar.ExtensionProblems(e, RegisteredFields, WholeExtName, WholeExtValue) + TrailingSpace(e)).Strict();
        if (mode != PolicyMode.None && patterns.IsEmpty)
        {
            errors = errors.Add(new MtaStsError.MxRequired(mode));
        }

        return errors.IsEmpty ? new Policy(mode, patterns, maxAge, exts) : MtaStsError.Of(errors);
    }

    /// <summary>
    /// <c>sts-policy-ext-value</c> ends with a vchar. In a file, spaces after the value are the line's
    /// trailing <c>*WSP</c> and the grammar leaves them out of the value; a value handed to
    /// <see cref="Create"/> must not end with one, or its rendering would read back as another value.
    /// </summary>
    private static Seq<MtaStsError> TrailingSpace(Extension extension) =>
        extension.Value.EndsWith(' ')
            ? Prelude.Seq1<MtaStsError>(new MtaStsError.InvalidValue("extension value", extension.Value, "a value cannot end with a space (RFC 8461 §3.2 sts-policy-ext-value)"))
            : Seq<MtaStsError>.Empty;

    /// <summary>Parses a policy file strictly. The D-04 clamp warning, if any, is dropped here; use <see cref="ParseWithWarnings"/> to see it.</summary>
    /// <param name="text">The policy body, already decoded from UTF-8.</param>
    /// <returns>The policy, or the error(s): positioned syntax error, missing fields, size.</returns>
    public static Either<MtaStsError, Policy> Parse(string? text) => Parse(text, ParseMode.Strict);

    /// <summary>
    /// Parses a policy file in the given mode; the same result type as <see cref="Parse(string?)"/> (the warnings are
    /// dropped: use <see cref="ParseWithWarnings"/> to see them).
    /// </summary>
    /// <param name="text">The policy body, already decoded from UTF-8.</param>
    /// <param name="mode">Strict (D-01..D-13) or lenient (L-01..L-03).</param>
    /// <returns>The policy, or the error(s).</returns>
    public static Either<MtaStsError, Policy> Parse(string? text, ParseMode mode) =>
        ParseWithWarnings(text, mode).Map(static p => p.Value);

    /// <summary>Parses a policy file in the given mode, with its positioned warnings.</summary>
    /// <param name="text">The policy body, already decoded from UTF-8.</param>
    /// <param name="mode">Strict (D-01..D-13) or lenient (L-01..L-03).</param>
    /// <returns>The policy and its warnings (D-04 clamp in both modes, L-01 repairs in lenient mode), or the error(s).</returns>
    public static Either<MtaStsError, Parsed<Policy>> ParseWithWarnings(string? text, ParseMode mode) =>
        PolicyReader.Parse(text, mode);

    /// <summary>
    /// The canonical text (§3.2 example layout): <c>version</c>, <c>mode</c>, each <c>mx</c>, <c>max_age</c>,
    /// then the extensions in order; one space after each ':', every line ended by CRLF.
    /// </summary>
    public string Render()
    {
        var sb = new StringBuilder("version: STSv1\r\nmode: ").Append(Mode.ToKeyword()).Append("\r\n");
        foreach (var mx in Mx)
        {
            sb.Append("mx: ").Append(mx.Render()).Append("\r\n");
        }

        sb.Append("max_age: ").Append(MaxAge.ToString()).Append("\r\n");
        foreach (var e in Extensions)
        {
            sb.Append(e.Name).Append(": ").Append(e.Value).Append("\r\n");
        }

        return sb.ToString();
    }

    /// <inheritdoc cref="Render"/>
    public override string ToString() => Render();

    /// <summary>Structural equality over mode, patterns, lifetime and extensions.</summary>
    /// <param name="other">The other policy.</param>
    /// <returns>True when both are the same policy.</returns>
    public bool Equals(Policy? other) =>
        other is not null && Mode == other.Mode && Mx == other.Mx && MaxAge == other.MaxAge && Extensions == other.Extensions;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Mode, deliveries.Length, MaxAge, Extensions);

    /// <summary>The number of patterns (hot path: no enumerator).</summary>
    internal int PatternCount => deliveries.Length;

    /// <summary>The pattern at <paramref name="index"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="PatternCount"/>.</param>
    internal MxPattern PatternAt(int index) => deliveries[index].Pattern;

    /// <summary>The shared deliver decision for the pattern at <paramref name="index"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="PatternCount"/>.</param>
    internal Decision.Deliver DeliveryAt(int index) => deliveries[index];

    /// <summary>For the semantic pass, which has already checked everything.</summary>
    internal static Policy Trusted(PolicyMode mode, Seq<MxPattern> mx, MaxAge maxAge, Seq<Extension> extensions) => new(mode, mx, maxAge, extensions);
}
