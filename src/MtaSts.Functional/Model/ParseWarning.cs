namespace MtaSts.Functional;

/// <summary>What a <see cref="ParseWarning"/> is about.</summary>
public enum WarningKind
{
    /// <summary>D-04: <c>max_age</c> above 31557600 was clamped to 31557600 (both modes, F-03).</summary>
    MaxAgeClamped,

    /// <summary>L-01: a UTF-8 byte-order mark at the start of a policy was skipped.</summary>
    ByteOrderMark,

    /// <summary>L-01: a bare CR was read as a line end.</summary>
    BareCarriageReturn,

    /// <summary>L-01: an empty or whitespace-only policy line was skipped.</summary>
    BlankLine,

    /// <summary>L-01: whitespace at the start of a policy line was skipped.</summary>
    LeadingWhitespace,

    /// <summary>L-01: whitespace between a policy field name and its ':' was skipped.</summary>
    WhitespaceBeforeColon,

    /// <summary>L-01: one trailing dot of an <c>mx</c> value was stripped.</summary>
    MxTrailingDot,

    /// <summary>L-01: an empty TXT record field (<c>;;</c>) was skipped.</summary>
    EmptyField,

    /// <summary>L-01: whitespace before <c>v=STSv1</c> was skipped.</summary>
    RecordLeadingWhitespace,

    /// <summary>L-01: whitespace at the end of a TXT record (not after a final ';') was skipped.</summary>
    RecordTrailingWhitespace,
}

/// <summary>A positioned diagnostic for input that was accepted anyway.</summary>
/// <param name="Kind">What was repaired or adjusted.</param>
/// <param name="Line">1-based line in the original input.</param>
/// <param name="Column">1-based column (UTF-16 code units) in the original input.</param>
/// <param name="Message">A human sentence, citing the decision.</param>
public sealed record ParseWarning(WarningKind Kind, int Line, int Column, string Message)
{
    /// <summary>Compiler-style rendering: <c>LINE:COL: warning[kind]: message</c>.</summary>
    public override string ToString() => $"{Line}:{Column}: warning[{Kind}]: {Message}";
}

/// <summary>A parsed value together with the warnings produced while reading it.</summary>
/// <typeparam name="T">The parsed value's type.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Warnings">The warnings, in input order.</param>
public sealed record Parsed<T>(T Value, LanguageExt.Seq<ParseWarning> Warnings);
