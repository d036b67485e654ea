using LanguageExt;
using MtaSts.Functional.Syntax;
using Pidgin;

namespace MtaSts.Functional;

/// <summary>
/// The TXT record's policy instance id: <c>1*32(ALPHA / DIGIT)</c> (RFC 8461 §3.1). Ids are opaque
/// and unordered; compare them for equality only (ordinal, C-03).
/// </summary>
public sealed record PolicyId
{
    private static readonly Parser<char, string> WholeId = Grammar.Whole(RecordGrammar.IdValue);

    private PolicyId(string value) => Value = value;

    /// <summary>The id text, 1–32 ASCII letters and digits.</summary>
    public string Value { get; }

    /// <summary>Validates an id against the <c>sts-id</c> value production.</summary>
    /// <param name="value">The candidate id.</param>
    /// <returns>The id, or <see cref="MtaStsError.InvalidValue"/>.</returns>
    public static Either<MtaStsError, PolicyId> Create(string? value) =>
        Grammar.Value(WholeId, value, "id", RuleNames.Id).Map(static v => new PolicyId(v));

    /// <summary>For the grammar, which has already checked the text.</summary>
    internal static PolicyId Trusted(string value) => new(value);

    /// <inheritdoc/>
    public override string ToString() => Value;
}
