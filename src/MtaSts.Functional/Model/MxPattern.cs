using System.Diagnostics;
using LanguageExt;
using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional;

/// <summary>
/// An allowed MX host pattern: <c>sts-policy-mx-value = ["*."] Domain</c> (RFC 8461 §3.2). Either an
/// exact host name or a wildcard that stands for exactly one extra left-most label (§4.1, M-02).
/// Normalised once, when parsed: lower-case A-labels (F-04), so matching needs no allocation.
/// </summary>
public abstract record MxPattern
{
    private static readonly Parser<char, MxPattern> WholePattern = Grammar.Whole(PolicyGrammar.PolicyMxValue);

    private MxPattern()
    {
    }

    /// <summary>The pattern's domain part: the host itself, or the wildcard's parent.</summary>
    public abstract DomainName Domain { get; }

    /// <summary>Parses one pattern strictly (D-06): A-labels only, no trailing dot, <c>*.</c> only as a whole left-most label.</summary>
    /// <param name="text">The pattern, e.g. <c>mail.example.com</c> or <c>*.example.net</c>.</param>
    /// <returns>The normalised pattern, or <see cref="MtaStsError.InvalidValue"/> with the reason.</returns>
    public static Either<MtaStsError, MxPattern> Parse(string? text) =>
        Grammar.Value(WholePattern, text, "mx pattern", RuleNames.PolicyMxValue);

    /// <summary>The canonical text: <c>host</c> or <c>*.parent</c>.</summary>
    public string Render() => this switch
    {
        Exact e => e.Host.Value,
        Wildcard w => "*." + w.Parent.Value,
        _ => throw new UnreachableException(),
    };

    /// <inheritdoc cref="Render"/>
    public sealed override string ToString() => Render();

    /// <summary>A fully specified host name: matches only that name (§4.1).</summary>
    /// <param name="Host">The host name.</param>
    public sealed record Exact(DomainName Host) : MxPattern
    {
        /// <inheritdoc/>
        public override DomainName Domain => Host;
    }

    /// <summary><c>*.parent</c>: matches one non-empty label followed by the parent (§4.1, M-02).</summary>
    /// <param name="Parent">The name below which exactly one label is allowed.</param>
    public sealed record Wildcard(DomainName Parent) : MxPattern
    {
        /// <inheritdoc/>
        public override DomainName Domain => Parent;
    }
}
