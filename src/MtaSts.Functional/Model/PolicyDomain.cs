using LanguageExt;

namespace MtaSts.Functional;

/// <summary>
/// A policy domain (RFC 8461 §1.1: the next-hop domain), normalised once at the first boundary
/// (STYLE rule 12): lower-case A-labels (F-07 IDNA for U-labels), one trailing dot removed (M-07),
/// never an address literal or an IP address (§3.4), and short enough that both names MTA-STS
/// derives from it fit in 253 octets: the policy host <c>mta-sts.&lt;domain&gt;</c> (§3.3) and the
/// TXT name <c>_mta-sts.&lt;domain&gt;</c> (§3.1). It is the cache key and the DNS name.
/// </summary>
public sealed record PolicyDomain
{
    /// <summary>RFC 8461 §3.3: the policy host is <c>mta-sts.&lt;domain&gt;</c>.</summary>
    public const string PolicyHostPrefix = "mta-sts.";

    /// <summary>RFC 8461 §3.1: the record lives at <c>_mta-sts.&lt;domain&gt;</c>.</summary>
    public const string TxtNamePrefix = "_mta-sts.";

    private PolicyDomain(string value) => Value = value;

    /// <summary>The normalised name: lower-case A-labels, no trailing dot.</summary>
    public string Value { get; }

    /// <summary>The policy host, <c>mta-sts.&lt;domain&gt;</c> (§3.3).</summary>
    public string PolicyHost => PolicyHostPrefix + Value;

    /// <summary>The TXT record's name, <c>_mta-sts.&lt;domain&gt;</c> (§3.1).</summary>
    public string TxtName => TxtNamePrefix + Value;

    /// <summary>§3.2 (M-07): <c>https://mta-sts.&lt;domain&gt;/.well-known/mta-sts.txt</c>.</summary>
    public Uri PolicyUrl => new($"https://{PolicyHost}/.well-known/mta-sts.txt", UriKind.Absolute);

    /// <summary>
    /// Normalises a domain as a sender meets it: any ASCII case, U- or A-labels, one trailing dot.
    /// Never throws: null, an address literal, an IP address, an invalid name or one too long for
    /// <c>_mta-sts.</c> or <c>mta-sts.</c> is a typed error.
    /// </summary>
    /// <param name="text">The domain.</param>
    /// <returns>The domain, or <see cref="MtaStsError.AddressLiteral"/> / <see cref="MtaStsError.InvalidValue"/>.</returns>
    public static Either<MtaStsError, PolicyDomain> Parse(string? text)
    {
        var given = text ?? string.Empty;
        if (given.StartsWith('[') || System.Net.IPAddress.TryParse(given.AsSpan().TrimEnd('.'), out _))
        {
            return new MtaStsError.AddressLiteral(given);
        }

        if (!HostNames.TryNormalize(given, out var name))
        {
            return new MtaStsError.InvalidValue("policy domain", given, "not a valid domain name (M-07, D-06)");
        }

        const int Max = Syntax.DomainGrammar.MaxDomainLength;
        if (PolicyHostPrefix.Length + name.Length > Max)
        {
            return new MtaStsError.InvalidValue("policy domain", given, $"the policy host '{PolicyHostPrefix}<domain>' would be longer than {Max} octets");
        }

        if (TxtNamePrefix.Length + name.Length > Max)
        {
            return new MtaStsError.InvalidValue("policy domain", given, $"the TXT name '{TxtNamePrefix}<domain>' would be longer than {Max} octets");
        }

        // An input that is already normalised is kept as it is (the per-delivery path allocates no name).
        var value = name.SequenceEqual(given) && !HasUpper(name) ? given : name.ToString().ToLowerInvariant();
        return new PolicyDomain(value);
    }

    /// <inheritdoc/>
    public override string ToString() => Value;

    private static bool HasUpper(ReadOnlySpan<char> name) => name.ContainsAnyInRange('A', 'Z');
}
