using LanguageExt;
using Pidgin;

namespace MtaSts.Functional.Syntax;

/// <summary>Running a grammar parser over a whole text and turning Pidgin's result into ours.</summary>
internal static class Grammar
{
    /// <summary>A parser that must consume the whole input.</summary>
    public static Parser<char, T> Whole<T>(Parser<char, T> parser) => parser.Before(Parser<char>.End);

    /// <summary>Runs a whole-input parser; a failure becomes a positioned <see cref="MtaStsError.Syntax"/>.</summary>
    public static Either<MtaStsError.Syntax, T> Run<T>(Parser<char, T> wholeParser, string text, string topRule, SourceMap? map = null)
    {
        var result = wholeParser.Parse(text);
        return result.Success
            ? result.Value
            : (map ?? new SourceMap(text)).SyntaxError(result.Error!, text, topRule);
    }

    /// <summary>Validates a single value (an id, a domain, a pattern): <see cref="MtaStsError.InvalidValue"/> on failure.</summary>
    public static Either<MtaStsError, T> Value<T>(Parser<char, T> wholeParser, string? text, string what, string topRule) =>
        Run(wholeParser, text ?? string.Empty, topRule).Match<Either<MtaStsError, T>>(
            Right: static v => v,
            Left: e => new MtaStsError.InvalidValue(what, text ?? string.Empty, Reason(e)));

    /// <summary>A one-line reason for a syntax error in a single value.</summary>
    public static string Reason(MtaStsError.Syntax e) =>
        e.Message ?? $"at column {e.Column}: expected {string.Join(" or ", e.Expected)}, found {e.Found} ({e.Rule})";
}
