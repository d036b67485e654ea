using LanguageExt;
using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional;

/// <summary>
/// A host name as RFC 8461 uses it (D-06, F-06): an RFC 5321 <c>Domain</c> of LDH labels, A-labels
/// only, no trailing dot, labels of 1–63 octets, at most 253 octets, right-most label not all
/// digits. Stored lower-cased (F-04), so equality is the case-insensitive comparison of §4.1.
/// </summary>
public sealed record DomainName
{
    private static readonly Parser<char, string> WholeHostName = Grammar.Whole(DomainGrammar.HostName);

    private DomainName(string value) => Value = value;

    /// <summary>The lower-case ASCII name.</summary>
    public string Value { get; }

    /// <summary>Parses a domain name strictly (no trailing dot, no U-labels), in any ASCII case.</summary>
    /// <param name="text">The candidate name.</param>
    /// <returns>The lower-cased name, or <see cref="MtaStsError.InvalidValue"/> with the reason.</returns>
    public static Either<MtaStsError, DomainName> Parse(string? text) =>
        Grammar.Value(WholeHostName, text, "domain name", RuleNames.Domain).Map(Trusted);

    /// <summary>For the grammar, which has already checked the text; lower-cases it (F-04).</summary>
    internal static DomainName Trusted(string value) => new(value.ToLowerInvariant());

    /// <inheritdoc/>
    public override string ToString() => Value;
}
