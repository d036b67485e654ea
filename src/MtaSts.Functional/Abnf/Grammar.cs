using LanguageExt;
using Pidgin;

namespace MtaSts.Functional.Syntax;

/// <summary>Running a grammar parser over a whole text and turning Pidgin's result into ours.</summary>
internal static class Grammar
{
    /// <summary>A parser that must consume the whole input.</summary>
    public static Parser<char, T> Whole<T>(Parser<char, T> parser) => parser.Before(Parser<char>.End);

    /// <summary>Runs a whole-input parser; a failure becomes a positioned <see cref="MtaStsError.Syntax"/>.</summary>
    public static Either<MtaStsError, T> Run<T>(Parser<char, T> wholeParser, string text, string topRule, SourceMap? map = null) =>
        TryRun(wholeParser, text, topRule, map, out var value, out var error) ? value : error;

    /// <summary>As <see cref="Run{T}"/>, without an <c>Either</c> (the parse paths use it to avoid a closure per step).</summary>
    public static bool TryRun<T>(Parser<char, T> wholeParser, string text, string topRule, SourceMap? map, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(true)] out MtaStsError error)
    {
        var result = wholeParser.Parse(text);
        value = result.Success ? result.Value : default;
        error = result.Success ? null : (map ?? new SourceMap(text)).SyntaxError(result.Error!, text, topRule);
        return result.Success;
    }

    /// <summary>Validates a single value (an id, a domain, a pattern): <see cref="MtaStsError.InvalidValue"/> on failure.</summary>
    public static Either<MtaStsError, T> Value<T>(Parser<char, T> wholeParser, string? text, string what, string topRule) =>
        Run(wholeParser, text ?? string.Empty, topRule).Match<Either<MtaStsError, T>>(
            Right: static v => v,
            Left: e => new MtaStsError.InvalidValue(what, text ?? string.Empty, e is MtaStsError.Syntax s ? Reason(s) : e.Render()));

    /// <summary>A one-line reason for a syntax error in a single value.</summary>
    public static string Reason(MtaStsError.Syntax e) =>
        e.Message ?? $"at column {e.Column}: expected {string.Join(" or ", e.Expected)}, found {e.Found} ({e.Rule})";

    /// <summary>
    /// The problems of an extension handed to a <c>Create</c> function: a registered field name
    /// (D-02: those are never extensions), a name outside its production, a value outside its production.
    /// </summary>
    public static Seq<MtaStsError> ExtensionProblems(
        Extension extension,
        System.Collections.Generic.HashSet<string> registered,
        (Parser<char, string> Whole, string Rule) name,
        (Parser<char, string> Whole, string Rule) value)
    {
        var nameProblems = registered.Contains(extension.Name)
            ? Prelude.Seq1<MtaStsError>(new MtaStsError.InvalidValue("extension name", extension.Name, "a registered field is not an extension (D-02)"))
            : Problems(Value(name.Whole, extension.Name, "extension name", name.Rule));
        return nameProblems + Problems(Value(value.Whole, extension.Value, "extension value", value.Rule));
    }

    private static Seq<MtaStsError> Problems<T>(Either<MtaStsError, T> result) =>
        result.Match(static _ => Seq<MtaStsError>.Empty, static e => Prelude.Seq1(e));
}
