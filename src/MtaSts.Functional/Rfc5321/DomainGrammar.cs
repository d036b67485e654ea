using Pidgin;
using static MtaSts.Functional.Syntax.CoreRules;
using static MtaSts.Functional.Syntax.RuleParsers;
using static Pidgin.Parser;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 5321 §4.1.2 <c>Domain</c>, the rule RFC 8461 §3.2 imports for <c>sts-policy-mx-value</c>,
/// plus the length and shape limits of DECISIONS.md D-06 / F-06 (<see cref="HostName"/>).
/// </summary>
internal static class DomainGrammar
{
    /// <summary>RFC 1035 §2.3.4: a label is at most 63 octets (D-06).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>D-06: a whole name is at most 253 octets (255 on the wire less the length octets).</summary>
    public const int MaxDomainLength = 253;

    /// <summary><c>Let-dig = ALPHA / DIGIT</c> (RFC 5321 §4.1.2), one token test.</summary>
    public static readonly Parser<char, char> LetDig = Parser<char>.Token(IsAlphaDigit).Rule("Let-dig");

    /// <summary>
    /// <c>Ldh-str = *( ALPHA / DIGIT / "-" ) Let-dig</c> (RFC 5321 §4.1.2). A PEG reads the greedy
    /// <c>*(…)</c> and the final <c>Let-dig</c> as one run of letters, digits and hyphens whose last
    /// character must not be a hyphen: the same language, without backtracking.
    /// </summary>
    public static readonly Parser<char, PUnit> LdhStr =
        SkipWhile1(static c => IsAlphaDigit(c) || c == '-')
            .Slice(static (span, _) => span[^1] == '-' ? span.Length - 1 : -1)
            .Check(static hyphen => hyphen >= 0 ? new Violation(hyphen, "Ldh-str must end with a letter or digit, not '-'") : null)
            .IgnoreResult()
            .Rule("Ldh-str");

    /// <summary><c>sub-domain = Let-dig [Ldh-str]</c> (RFC 5321 §4.1.2).</summary>
    public static readonly Parser<char, PUnit> SubDomain = LetDig.Then(LdhStr.Optional()).IgnoreResult().Rule("sub-domain");

    /// <summary><c>Domain = sub-domain *("." sub-domain)</c> (RFC 5321 §4.1.2). No trailing dot (D-06).</summary>
    public static readonly Parser<char, string> Domain = SubDomain.Then(Char('.').Then(SubDomain).SkipMany()).Text().Rule("Domain");

    /// <summary>
    /// A host name as this library accepts it (D-06, F-06): an RFC 5321 <c>Domain</c> with labels of
    /// 1–63 octets, at most 253 octets in all, whose right-most label is not all digits (so an IPv4
    /// address is not a host name). Not an ABNF rule of its own; errors name <c>Domain</c>.
    /// </summary>
    public static readonly Parser<char, string> HostName = Domain.Check(LimitViolation).Rule("Domain");

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
    /// The D-06 limits on a name made of LDH labels: which one it breaks first and where (the offset
    /// of the first octet past the limit, or of the offending label). Allocation-free: the matching
    /// hot path validates candidate hosts with it.
    /// </summary>
    public static (DomainLimit Limit, int Offset) Limits(ReadOnlySpan<char> domain)
    {
        // When several limits are broken, the one that shows first in reading order is reported.
        var labelStart = 0;
        var allDigits = true;
        for (var i = 0; i <= domain.Length; i++)
        {
            if (i == domain.Length || domain[i] == '.')
            {
                if (i - labelStart > MaxLabelLength)
                {
                    return labelStart + MaxLabelLength <= MaxDomainLength
                        ? (DomainLimit.LabelTooLong, labelStart + MaxLabelLength)
                        : (DomainLimit.TooLong, MaxDomainLength);
                }

                if (i == domain.Length && domain.Length > MaxDomainLength)
                {
                    return (DomainLimit.TooLong, MaxDomainLength);
                }

                if (i == domain.Length && allDigits)
                {
                    return (DomainLimit.NumericTopLabel, labelStart);
                }

                labelStart = i + 1;
                allDigits = true;
            }
            else if (!IsDigit(domain[i]))
            {
                allDigits = false;
            }
        }

        return (DomainLimit.None, 0);
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
