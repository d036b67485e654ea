using LanguageExt;
using MtaSts.TlsRpt.Delivery;

namespace MtaSts.TlsRpt.Tests.Delivery;

/// <summary>RFC 8460 §5.5: exponential back-off for up to 24 hours after the first attempt, as a pure function.</summary>
public sealed class RetryScheduleTests
{
    private static readonly DateTimeOffset First = new(2016, 4, 2, 1, 0, 0, TimeSpan.Zero);

    /// <summary>Attempts made in a row, each at the time the previous one scheduled.</summary>
    private static List<DateTimeOffset> Run(RetrySchedule schedule)
    {
        var times = new List<DateTimeOffset> { First };
        while (times.Count < 1000 && schedule.Next(times.Count, First, times[^1]) is { IsSome: true } next)
        {
            times.Add((DateTimeOffset)next);
        }

        return times;
    }

    public static TheoryData<int, int, int> DefaultRows => new()
    {
        // attempts made, minutes after the first at which the last one failed, minutes after the first of the next
        { 1, 0, 5 },
        { 2, 5, 15 },
        { 3, 15, 35 },
        { 6, 155, 315 },
        { 7, 315, 555 }, // 160 min would exceed the 4-hour cap: 240
        { 11, 1275, 1440 }, // clipped to the end of the window
    };

    [Theory]
    [MemberData(nameof(DefaultRows))]
    public void Next_Default_DoublesFromFiveMinutesUpToFourHours(int attempts, int failedAt, int nextAt) =>
        Assert.Equal(Option<DateTimeOffset>.Some(First.AddMinutes(nextAt)), RetrySchedule.Default.Next(attempts, First, First.AddMinutes(failedAt)));

    [Fact]
    public void Next_AtTheEndOfTheWindow_IsNone() =>
        Assert.True(RetrySchedule.Default.Next(12, First, First.AddHours(24)).IsNone);

    [Fact]
    public void Run_Default_MakesTwelveAttempts_TheLastAt24Hours()
    {
        var times = Run(RetrySchedule.Default);

        Assert.Equal(12, times.Count); // the first and eleven retries
        Assert.Equal(First.AddHours(24), times[^1]);
    }

    [Theory]
    [InlineData(1, 60, 24)]
    [InlineData(5, 240, 24)]
    [InlineData(30, 30, 2)]
    [InlineData(7, 1, 1)]
    public void Run_AnySchedule_DelaysNeverShrinkNeverExceedTheCapAndStopAtTheWindow(int initialMinutes, int maximumMinutes, int windowHours)
    {
        var schedule = new RetrySchedule(TimeSpan.FromMinutes(initialMinutes), TimeSpan.FromMinutes(maximumMinutes), TimeSpan.FromHours(windowHours));
        var times = Run(schedule);
        var delays = times.Zip(times.Skip(1), static (a, b) => b - a).ToList();

        Assert.True(times.Count is > 1 and < 1000);
        Assert.All(delays.Zip(delays.Skip(1)).SkipLast(1), static p => Assert.True(p.Item2 >= p.Item1)); // the last may be clipped
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromTicks(1), schedule.Maximum));
        Assert.Equal(First + schedule.Window, times[^1]);
    }
}
