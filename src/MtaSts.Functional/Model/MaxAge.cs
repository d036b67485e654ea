using LanguageExt;

namespace MtaSts.Functional;

/// <summary>
/// A policy lifetime in seconds: <c>max_age</c> (RFC 8461 §3.2), 0 to 31557600 (365.25 days). Parsing
/// clamps larger values to the maximum with a warning (D-04); 0 means "do not cache beyond this use".
/// </summary>
public sealed record MaxAge
{
    /// <summary>The largest lifetime RFC 8461 §3.2 allows: 31557600 seconds.</summary>
    public const long MaximumSeconds = 31_557_600;

    private MaxAge(long seconds) => Seconds = seconds;

    /// <summary>The lifetime in seconds, 0..31557600.</summary>
    public long Seconds { get; }

    /// <summary>The lifetime as a <see cref="TimeSpan"/>.</summary>
    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>A lifetime of 0..31557600 seconds.</summary>
    /// <param name="seconds">The lifetime.</param>
    /// <returns>The value, or <see cref="MtaStsError.InvalidValue"/> when out of range.</returns>
    public static Either<MtaStsError, MaxAge> Create(long seconds) =>
        seconds is >= 0 and <= MaximumSeconds
            ? new MaxAge(seconds)
            : new MtaStsError.InvalidValue("max_age", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), $"max_age is 0 to {MaximumSeconds} seconds (RFC 8461 §3.2)");

    /// <summary>D-04: the parsed value, clamped to the maximum.</summary>
    internal static MaxAge Clamped(long seconds) => new(Math.Clamp(seconds, 0, MaximumSeconds));

    /// <inheritdoc/>
    public override string ToString() => Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
