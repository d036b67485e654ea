using System.Diagnostics;

namespace MtaSts.Functional;

/// <summary>
/// <c>sts-policy-mode-value = %s"testing" / %s"enforce" / %s"none"</c> (RFC 8461 §3.2, §5): what a
/// sending MTA does when a delivery fails to validate against the policy.
/// </summary>
public enum PolicyMode
{
    /// <summary><c>enforce</c>: never deliver to an MX that fails validation (§5).</summary>
    Enforce,

    /// <summary><c>testing</c>: deliver anyway and report failures (§5, RFC 8460).</summary>
    Testing,

    /// <summary><c>none</c>: treat the domain as having no active policy (§5, §8.3).</summary>
    None,
}

/// <summary>Keyword conversions for <see cref="PolicyMode"/>.</summary>
public static class PolicyModeExtensions
{
    /// <summary>The case-sensitive RFC keyword of a mode (D-01).</summary>
    /// <param name="mode">The mode.</param>
    /// <returns><c>enforce</c>, <c>testing</c> or <c>none</c>.</returns>
    public static string ToKeyword(this PolicyMode mode) => mode switch
    {
        PolicyMode.Enforce => "enforce",
        PolicyMode.Testing => "testing",
        PolicyMode.None => "none",
        _ => throw new UnreachableException(),
    };
}
