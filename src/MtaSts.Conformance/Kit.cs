using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance;

/// <summary>The vectors of one export or run: the public ones of the kinds and profile, then the generated ones.</summary>
internal static class Kit
{
    /// <summary>The public vectors of <paramref name="kinds"/> that hold in <paramref name="profile"/>, then <paramref name="generated"/> generated ones from <paramref name="seed"/>.</summary>
    public static (IReadOnlyList<Vector> Public, IReadOnlyList<Vector> Generated) Vectors(IReadOnlyCollection<string> kinds, Profiles profile, int generated, ulong seed) =>
        ([.. PublicVectors.All.Where(v => kinds.Contains(v.Kind) && v.Profiles.HasFlag(profile))], GeneratedVectors.Create(generated, seed, profile, kinds));
}
