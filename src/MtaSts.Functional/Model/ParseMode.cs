namespace MtaSts.Functional;

/// <summary>How strictly a TXT record or policy file is read.</summary>
public enum ParseMode
{
    /// <summary>Exactly the RFC 8461 ABNF with the decisions D-01..D-13 (the default).</summary>
    Strict,

    /// <summary>
    /// Also accepts the real-world deviations of DECISIONS.md L-01, each with a positioned
    /// <see cref="ParseWarning"/>. Never accepts what L-02 lists; accepts everything strict mode accepts,
    /// with the same value and no lenient warning (L-03).
    /// </summary>
    Lenient,
}
