using FsCheck;
using FsCheck.Fluent;
using LanguageExt;

namespace MtaSts.Functional.Properties.Laws;

/// <summary>RFC 8461 §3.3, §5.1, §10.2 (C-01..C-05): the cache lifecycle as a pure function of the cache, the time and the outcomes.</summary>
public class LifecycleLaws
{
    private static readonly Gen<Option<FetchOutcome>> NoFetchOrFailure =
        Gen.Frequency((1, Gen.Constant(Option<FetchOutcome>.None)), (1, LifecycleGenerators.FailedFetch.Select(static f => Prelude.Some(f))));

    /// <summary>
    /// A valid cached policy survives every failure: whatever DNS says and however the fetch fails,
    /// it is applied and stays in the cache (N-07, N-37, C-02).
    /// </summary>
    [Law]
    public Property ValidCachedPolicySurvivesEveryFailure() =>
        Prop.ForAll(
            Arb.From(LifecycleGenerators.Scenario(LifecycleGenerators.Entry, NoFetchOrFailure)),
            s =>
            {
                var valid = s.Cached.Bind(c => c.ValidAt(s.Now));
                var step = s.Run().Step;
                var cachedPolicy = s.Cached.Bind(static c => c.Policy);
                return (valid.IsNone || step is null || step.Apply == valid && step.Source == PolicySource.Cache && step.Store.Match(static e => e.Policy, () => cachedPolicy) == cachedPolicy)
                    .Label(s.ToString())
                    .Classify(valid.IsSome, "valid cache")
                    .Classify(step is null, "fetch asked, not made")
                    .Classify(valid.Exists(static v => v.Policy.Mode == PolicyMode.Enforce), "enforce");
            });

    /// <summary>An expired policy is never applied: at or after <c>fetched_at + max_age</c> only a policy fetched now can be (C-01, N-34).</summary>
    [Law]
    public Property ExpiredPolicyIsNeverApplied() =>
        Prop.ForAll(
            LifecycleGenerators.Any,
            s =>
            {
                var step = s.Run().Step;
                var appliedFromCache = step?.Source == PolicySource.Cache;
                var cachedExpired = s.Cached.Bind(static c => c.Policy).Exists(p => s.Now >= p.ExpiresAt);
                return (step is null || ((!appliedFromCache || step.Apply.Exists(a => s.Now < a.ExpiresAt))
                    && (!cachedExpired || step.Source != PolicySource.Cache)
                    && (step.Source != PolicySource.Live || step.Apply.Exists(a => a.FetchedAt == s.Now))))
                    .Label(s.ToString())
                    .Classify(cachedExpired, "cached policy expired")
                    .Classify(step is null, "fetch asked, not made");
            });

    /// <summary>
    /// Only a fetched, valid policy replaces the cached one, and it restarts the max_age clock: a
    /// stored policy that differs from the cached one is the fetched policy, fetched at <c>now</c>,
    /// expiring at <c>now + max_age</c> (C-01, C-02, N-40).
    /// </summary>
    [Law]
    public Property OnlyAFetchedValidPolicyReplacesTheCache() =>
        Prop.ForAll(
            LifecycleGenerators.Any,
            s =>
            {
                var run = s.Run();
                var before = s.Cached.Bind(static c => c.Policy);
                var after = run.Step is { } step ? step.Store.Match(static e => e.Policy, () => before) : before;
                var replaced = after != before;
                var fetched = run.Asked.IsSome && s.Fetch.IsSome ? (FetchOutcome)s.Fetch as FetchOutcome.Fetched : null;
                return (!replaced || fetched is not null && after.Exists(p =>
                        p.Policy == fetched.Policy && p.Text == fetched.Text && p.FetchedAt == s.Now && p.ExpiresAt == s.Now + fetched.Policy.MaxAge.Duration))
                    .Label(s.ToString())
                    .Classify(replaced, "replaced");
            });

    /// <summary>
    /// The decision is monotone in <c>now</c>: without a fetch, if the cached policy applies at a
    /// time it applies at every earlier time since its fetch, and once it no longer applies it never
    /// applies again (C-01).
    /// </summary>
    [Law]
    public Property DecisionIsMonotoneInNow() =>
        Prop.ForAll(
            Arb.From(
                from s in LifecycleGenerators.Scenario(LifecycleGenerators.Entry, Gen.Constant(Option<FetchOutcome>.None))
                from back in Gen.Choose(0, 2_000_000)
                select (s, earlier: s with { Now = s.Now.AddSeconds(-back) })),
            pair =>
            {
                var (later, earlier) = pair;
                var fetchedAt = later.Cached.Bind(static c => c.Policy).Map(static p => p.FetchedAt);
                var inRange = fetchedAt.Exists(f => earlier.Now >= f);
                var appliesLater = later.Run().Step?.Source == PolicySource.Cache;
                var appliesEarlier = earlier.Run().Step?.Source == PolicySource.Cache;
                return (!inRange || !appliesLater || appliesEarlier)
                    .Label($"later {later}; earlier {earlier.Now:O}")
                    .Classify(appliesLater, "applies later");
            });

    /// <summary>
    /// C-04 (N-23): after a failed fetch for an id, no fetch for that id for five minutes, and a
    /// fetch again once they have passed; another id is not held back.
    /// </summary>
    [Law]
    public Property FailedFetchBacksOffFiveMinutesPerId() =>
        Prop.ForAll(
            LifecycleGenerators.Any,
            s =>
            {
                var run = s.Run();
                var reports = run.Step?.Reports ?? Seq<LifecycleReport>.Empty;
                var failure = s.Cached.Bind(static c => c.LastFailure);
                var heldBack = run.Asked.Exists(id => failure.Exists(f => f.Id == id && s.Now >= f.At && s.Now < f.At.AddMinutes(5)));
                var backedOff = reports.Exists(static r => r is LifecycleReport.BackedOff);
                var backedOffRightly = reports.Choose(static r => r is LifecycleReport.BackedOff b ? Prelude.Some(b) : Option<LifecycleReport.BackedOff>.None)
                    .ForAll(b => failure.Exists(f => f.Id == b.Id && s.Now < f.At.AddMinutes(5)));
                return (!heldBack && backedOffRightly)
                    .Label(s.ToString())
                    .Classify(backedOff, "backed off");
            });

    /// <summary>
    /// On delivery, a TXT id equal to a valid cached policy's id never causes a fetch; a different
    /// id (and no back-off) always does (C-03, N-10, N-35).
    /// </summary>
    [Law]
    public Property DeliveryFetchesExactlyWhenTheIdIsNew() =>
        Prop.ForAll(
            Arb.From(LifecycleGenerators.Scenario(LifecycleGenerators.Entry, Gen.Constant(Option<FetchOutcome>.None)).Select(static s => s with { Kind = LookupKind.Delivery })),
            s =>
            {
                var run = s.Run();
                var valid = s.Cached.Bind(c => c.ValidAt(s.Now));
                var backedOff = run.Step is { } step && step.Reports.Exists(static r => r is LifecycleReport.BackedOff);
                var expected = s.Txt is TxtOutcome.Found f && !valid.Exists(v => v.Id == f.Record.Id) && !backedOff
                    ? Prelude.Some(f.Record.Id)
                    : Option<PolicyId>.None;
                return (run.Asked == expected && (run.Asked.IsSome == (run.Step is null))).Label(s.ToString()).Classify(expected.IsSome, "fetch").Classify(backedOff, "backed off");
            });

    /// <summary>
    /// A failed fetch is reported with its RFC 8460 result type, and raises an alert exactly when a
    /// valid cached policy other than <c>none</c> is in force (N-39, N-41, N-59).
    /// </summary>
    [Law]
    public Property FetchFailureIsReportedAndAlertsUnlessModeNone() =>
        Prop.ForAll(
            Arb.From(LifecycleGenerators.Scenario(LifecycleGenerators.Entry, LifecycleGenerators.FailedFetch.Select(static f => Prelude.Some(f)))),
            s =>
            {
                var run = s.Run();
                var step = run.Step ?? throw new InvalidOperationException("every scenario here has a fetch outcome");
                var asked = run.Asked.IsSome;
                var alert = s.Cached.Bind(c => c.ValidAt(s.Now)).Exists(static p => p.Policy.Mode != PolicyMode.None);
                var reports = step.Reports.Choose(static r => r is LifecycleReport.FetchFailed f ? Prelude.Some(f) : Option<LifecycleReport.FetchFailed>.None);
                var failure = ((FetchOutcome.Failed)(FetchOutcome)s.Fetch).Failure;
                return (asked ? reports.Count == 1 && reports.Head.Alert == alert && reports.Head.Failure == failure
                        && step.Store.Bind(static e => e.LastFailure).Exists(f => f.At == s.Now && f.Failure == failure) : reports.IsEmpty)
                    .Label(s.ToString())
                    .Classify(alert, "alert")
                    .Classify(asked, "fetch asked");
            });
}
