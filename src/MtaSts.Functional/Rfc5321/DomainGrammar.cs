// RFC 5321 §4.1.2, the rules RFC 8461 §3.2 imports for sts-policy-mx-value (verbatim):
//
//   Domain         = sub-domain *("." sub-domain)
//   sub-domain     = Let-dig [Ldh-str]
//   Let-dig        = ALPHA / DIGIT
//   Ldh-str        = *( ALPHA / DIGIT / "-" ) Let-dig
//
// plus the limits of DECISIONS.md D-06 / F-06 (RFC 1035 §2.3.4, RFC 5321 §4.5.3.1.2), which the ABNF
// does not state: labels of at most 63 octets, names of at most 253, a right-most label not all digits.
using Pidgin;
using static MtaSts.Functional.Syntax.Abnf;
using static MtaSts.Functional.Syntax.CoreRules;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 5321 §4.1.2 <c>Domain</c>, in the RFC's order, and the D-06 limits (<see cref="HostName"/>,
/// <see cref="Limits"/>). The matching hot path checks candidate host names with the same classes and
/// limits (<see cref="IsDomain"/>), so LDH and D-06 are defined here once.
/// </summary>
internal static class DomainGrammar
{
    /// <summary>RFC 1035 §2.3.4: a label is at most 63 octets (D-06).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>D-06: a whole name is at most 253 octets (255 on the wire less the length octets).</summary>
    public const int MaxDomainLength = 253;

    /// <summary><c>ALPHA / DIGIT / "-"</c>, the characters of <c>Ldh-str</c>.</summary>
    private static readonly CharClass LdhChar = AlphaDigit | '-';

    /// <summary>The <c>"."</c> between sub-domains.</summary>
    private static readonly Abnf.Literal Dot = Insensitive(".");

    /// <summary><c>ALPHA / DIGIT / "-" / "."</c>: every character a <c>Domain</c> may hold.</summary>
    private static readonly CharClass LdhOrDot = LdhChar | '.';

    /// <summary><c>Domain = sub-domain *("." sub-domain)</c> (RFC 5321 §4.1.2).</summary>
    /// <remarks>No trailing dot (D-06): a "." must be followed by a sub-domain.</remarks>
    public static readonly Parser<char, string> Domain =
        Ref(static () => SubDomain).Then(Star(Dot.Then(Ref(static () => SubDomain)), Dot.First))
            .Text()
            .Rule(RuleNames.Domain);

    /// <summary><c>sub-domain = Let-dig [Ldh-str]</c> (RFC 5321 §4.1.2).</summary>
    public static readonly Parser<char, PUnit> SubDomain =
        Ref(static () => LetDig).Then(Optional(Ref(static () => LdhStr), LdhChar))
            .IgnoreResult()
            .Rule(RuleNames.SubDomain);

    /// <summary><c>Let-dig = ALPHA / DIGIT</c> (RFC 5321 §4.1.2).</summary>
    public static readonly CharClass LetDig = AlphaDigit.Named(RuleNames.LetDig);

    /// <summary>
    /// <c>Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig</c> (RFC 5321 §4.1.2).
    /// </summary>
    /// <remarks>
    /// A PEG reads the greedy <c>*(…)</c> and the final <c>Let-dig</c> as one run of letters, digits and
    /// hyphens whose last character must not be a hyphen: the same language, without backtracking.
    /// </remarks>
    public static readonly Parser<char, PUnit> LdhStr =
        Plus(LdhChar)
            .Slice(static (span, _) => span[^1] == '-' ? span.Length - 1 : -1)
            .Check(static hyphen => hyphen >= 0 ? new Violation(hyphen, $"{RuleNames.LdhStr} must end with a letter or digit, not '-'") : null)
            .IgnoreResult()
            .Rule(RuleNames.LdhStr);

    /// <summary>
    /// A host name as this library accepts it (D-06, F-06): an RFC 5321 <c>Domain</c> within the D-06
    /// <see cref="Limits"/>. Not an ABNF rule of its own; errors name <c>Domain</c>.
    /// </summary>
    public static readonly Parser<char, string> HostName = Domain.Check(LimitViolation).Rule(RuleNames.Domain);

    /// <summary>
    /// Whether <paramref name="name"/> is a <c>Domain</c>: the same rule as <see cref="Domain"/>, read
    /// over a span with vectorised searches and no allocation (labels of <see cref="LdhChar"/> that begin
    /// and end with a <see cref="LetDig"/>), for the matching hot path.
    /// </summary>
    public static bool IsDomain(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.ContainsAnyExcept(LdhOrDot.Values))
        {
            return false;
        }

        while (true)
        {
            var dot = name.IndexOf('.');
            var label = dot < 0 ? name : name[..dot];
            if (label.IsEmpty || !LetDig.Contains(label[0]) || !LetDig.Contains(label[^1]))
            {
                return false; // not Let-dig [Ldh-str]
            }

            if (dot < 0)
            {
                return true;
            }

            name = name[(dot + 1)..];
        }
    }

    /// <summary>The D-06 limits of a syntactically valid <c>Domain</c> as a grammar violation, or null when it keeps them.</summary>
    public static Violation? LimitViolation(string domain) => Limits(domain) switch
    {
        (DomainLimit.None, _) => null,
        (DomainLimit.TooLong, var at) => new Violation(at, $"a domain name is at most {MaxDomainLength} octets; this one has {domain.Length} (D-06)"),
        (DomainLimit.LabelTooLong, var at) => new Violation(at, $"a label is at most {MaxLabelLength} octets (D-06)"),
        (DomainLimit.NumericTopLabel, var at) => new Violation(at, "the right-most label is all digits: an address is not a host name (D-06)"),
        _ => throw new System.Diagnostics.UnreachableException(),
    };

    /// <summary>
    /// The D-06 limits on a name made of LDH labels: which one it breaks first in reading order and where
    /// (the offset of the first octet past the limit, or of the offending label). Allocation-free.
    /// </summary>
    public static (DomainLimit Limit, int Offset) Limits(ReadOnlySpan<char> domain)
    {
        var labelStart = 0;
        while (true)
        {
            var dot = domain[labelStart..].IndexOf('.');
            var labelEnd = dot < 0 ? domain.Length : labelStart + dot;
            if (labelEnd - labelStart > MaxLabelLength)
            {
                return labelStart + MaxLabelLength <= MaxDomainLength
                    ? (DomainLimit.LabelTooLong, labelStart + MaxLabelLength)
                    : (DomainLimit.TooLong, MaxDomainLength);
            }

            if (dot < 0)
            {
                return domain.Length > MaxDomainLength ? (DomainLimit.TooLong, MaxDomainLength)
                    : Digit.All(domain[labelStart..]) ? (DomainLimit.NumericTopLabel, labelStart)
                    : (DomainLimit.None, 0);
            }

            labelStart = labelEnd + 1;
        }
    }

}

/// <summary>Which D-06 limit a domain name breaks.</summary>
internal enum DomainLimit
{
    /// <summary>Within every limit.</summary>
    None,

    /// <summary>More than 253 octets.</summary>
    TooLong,

    /// <summary>A label of more than 63 octets.</summary>
    LabelTooLong,

    /// <summary>The right-most label is all digits (an IPv4 address, or a name that cannot be a host).</summary>
    NumericTopLabel,
}
