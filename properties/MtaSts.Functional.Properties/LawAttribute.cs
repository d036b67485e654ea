using FsCheck.Xunit;

namespace MtaSts.Functional.Properties;

/// <summary>
/// A law: an FsCheck property whose number of cases comes from one place. CI runs
/// <see cref="DefaultMaxTest"/> cases per law (the whole suite stays well under a minute on 2 cores);
/// setting the environment variable <c>MTASTS_LAW_TESTS</c> raises it for a long soak, e.g.
/// <c>MTASTS_LAW_TESTS=100000 dotnet test properties/MtaSts.Functional.Properties</c>.
/// <c>MTASTS_LAW_SEED="(seed,gamma)"</c> replays every law from one FsCheck seed, to reproduce a run.
/// </summary>
public sealed class LawAttribute : PropertyAttribute
{
    /// <summary>Cases per law in a normal run.</summary>
    public const int DefaultMaxTest = 300;

    public LawAttribute()
    {
        MaxTest = int.TryParse(System.Environment.GetEnvironmentVariable("MTASTS_LAW_TESTS"), out var n) && n > 0 ? n : DefaultMaxTest;
        Arbitrary = [typeof(Arbitraries)];
        if (System.Environment.GetEnvironmentVariable("MTASTS_LAW_SEED") is { Length: > 0 } seed)
        {
            Replay = seed;
        }
    }
}
