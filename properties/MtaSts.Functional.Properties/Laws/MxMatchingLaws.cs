using FsCheck;
using FsCheck.Fluent;
using MtaSts.Conformance.Generators;

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
            Arb.From(Generators.Label().Two()),
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

    /// <summary>Matching agrees with a straightforward reference definition of §4.1 (<see cref="MxReference"/>, written apart from the core).</summary>
    [Law]
    public Property MatchingAgreesWithTheReference(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(HostGenerators.Near(pattern)),
            host => (Enforcement.MxMatches(pattern, host) == MxReference.Matches(pattern.Render(), host)).Label($"{pattern} vs {host}"));

    /// <summary>
    /// An invalid host never matches, even when it ends with the pattern: a wildcard's first label
    /// must itself be a valid label (LDH, not starting or ending with '-', 1–63 octets) and the whole
    /// name at most 253 octets (M-01, F-06), however the matcher orders its checks.
    /// </summary>
    [Law]
    public Property AnInvalidHostNeverMatches(MxPattern pattern) =>
        Prop.ForAll(
            Arb.From(HostGenerators.Invalid(pattern)),
            host => (!Enforcement.MxMatches(pattern, host)).Label($"{pattern} vs {host}").Classify(pattern is MxPattern.Wildcard, "wildcard"));
}
