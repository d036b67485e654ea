using FsCheck;
using FsCheck.Fluent;
using MtaSts.Functional.Properties.Generators;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §4.1 (M-01, M-02): MX host matching.</summary>
public class MxMatchingLaws
{
    /// <summary>Matching ignores ASCII case and one trailing dot on the host (§4.1 via RFC 6125 §6.4.1; M-01).</summary>
    [Law]
    public Property MatchingIgnoresCaseAndOneTrailingDot(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(HostGenerators.Near(pattern).SelectMany(h => HostGenerators.Respell(h.TrimEnd('.')).Select(r => (h, r)))),
            pair => (Enforcement.MxMatches(pattern, pair.h) == Enforcement.MxMatches(pattern, pair.r))
                .Label($"{pattern} vs {pair.h} / {pair.r}")
                .Classify(Enforcement.MxMatches(pattern, pair.h), "match"));

    /// <summary>A wildcard matches exactly the hosts one label below its parent: never the parent, never two labels deeper (§4.1, M-02).</summary>
    [Law]
    public Property WildcardMatchesExactlyOneLabel(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(Generators.Generators.Label().Two()),
            labels =>
            {
                var parent = pattern.Domain.Value;
                var one = labels.Item1 + "." + parent;
                var two = labels.Item1 + "." + labels.Item2 + "." + parent;
                var valid = one.Length <= 253;
                return (pattern is MxPattern.Wildcard
                        ? Enforcement.MxMatches(pattern, one) == valid && !Enforcement.MxMatches(pattern, parent) && !Enforcement.MxMatches(pattern, two)
                        : Enforcement.MxMatches(pattern, parent) && !Enforcement.MxMatches(pattern, one))
                    .Classify(pattern is MxPattern.Wildcard, "wildcard");
            });

    /// <summary>Matching agrees with a straightforward reference definition of §4.1 written here.</summary>
    [Law]
    public Property MatchingAgreesWithTheReference(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(HostGenerators.Near(pattern)),
            host => (Enforcement.MxMatches(pattern, host) == Reference(pattern.Render(), host)).Label($"{pattern} vs {host}"));

    /// <summary>
    /// An invalid host never matches, even when it ends with the pattern: a wildcard's first label
    /// must itself be a valid label (LDH, not starting or ending with '-', 1–63 octets) and the whole
    /// name at most 253 octets (M-01, F-06), however the matcher orders its checks.
    /// </summary>
    [Law]
    public Property AnInvalidHostNeverMatches(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(
                from bad in Gen.Elements("-a", "a-", "a_b", "a b", new string('a', 64), "", "a..b", new string('a', 63) + "." + new string('b', 63) + "." + new string('c', 63) + "." + new string('d', 63))
                from spelled in HostGenerators.Respell(bad + "." + pattern.Domain.Value)
                select spelled),
            host => (!Enforcement.MxMatches(pattern, host)).Label($"{pattern} vs {host}").Classify(pattern is MxPattern.Wildcard, "wildcard"));

    /// <summary>
    /// The reference: lower-case both, drop one trailing dot from the host, split into labels; a
    /// literal pattern matches equal label lists; <c>*.rest</c> matches a host with exactly one more
    /// label whose other labels equal <c>rest</c>. (ASCII hosts only, as generated.)
    /// </summary>
    private static bool Reference(string pattern, string host)
    {
        var h = host.EndsWith('.') ? host[..^1] : host;
        var hostLabels = h.ToLowerInvariant().Split('.');
        var patternLabels = pattern.ToLowerInvariant().Split('.');
        if (hostLabels.Any(static l => l.Length == 0 || l.Length > 63) || h.Length > 253)
        {
            return false;
        }

        return patternLabels[0] == "*"
            ? hostLabels.Length == patternLabels.Length && hostLabels.Skip(1).SequenceEqual(patternLabels.Skip(1))
            : hostLabels.SequenceEqual(patternLabels);
    }
}
