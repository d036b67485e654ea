namespace MtaSts.Functional.Syntax;

/// <summary>
/// What the prose rules made of one line of a policy (or one field of a TXT record): the per-line part of
/// the semantic result that <c>Policy.Parse</c>, <c>Explain</c> and <c>Lint</c> all read
/// (<see cref="PolicyReading"/>, <see cref="PolicySurvey"/>, <see cref="RecordReading"/>).
/// </summary>
internal abstract record Verdict
{
    private Verdict()
    {
    }

    /// <summary>The line counts.</summary>
    public sealed record Applied : Verdict
    {
        /// <summary>The one instance (a verdict per line is the common case; it needs no allocation).</summary>
        public static readonly Applied Instance = new();
    }

    /// <summary>D-03: ignored as a repeat of line (field) <paramref name="First"/>, an index into the lines read, for the reason <paramref name="Why"/>.</summary>
    public sealed record Repeat(int First, RepeatReason Why) : Verdict;

    /// <summary>The grammar refused the line (<paramref name="Error"/>, positioned in the caller's text); the linter set it aside and read the rest without it.</summary>
    public sealed record SetAside(MtaStsError.Syntax Error) : Verdict;
}

/// <summary>Why a line is ignored as a repeat (D-03).</summary>
internal enum RepeatReason
{
    /// <summary>A field that may appear once (<c>version</c>, <c>mode</c>, <c>max_age</c>; <c>v</c>, <c>id</c>) appeared before: the first one counts.</summary>
    SameField,

    /// <summary>The same <c>mx</c> pattern, compared lower-cased (F-04), appeared before.</summary>
    SamePattern,
}
