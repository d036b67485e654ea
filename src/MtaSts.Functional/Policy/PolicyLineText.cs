namespace MtaSts.Functional.Syntax;

/// <summary>
/// A policy line's name and value as plain text, for the tools that look at a line the grammar did not
/// accept (the lenient repair, the linter, hints): the name ends at the first ':' (the start of
/// <c>sts-policy-field-delim</c>, RFC 8461 §3.2), the value follows it.
/// </summary>
internal static class PolicyLineText
{
    /// <summary>The offset of the ':' that ends the field name, or -1.</summary>
    public static int Colon(ReadOnlySpan<char> line) => line.IndexOf(':');

    /// <summary>The field name (WSP around it trimmed), or the whole line when it has no ':'.</summary>
    public static string Name(string line) => (Colon(line) is var colon and >= 0 ? line[..colon] : line).Trim(' ', '\t', '\r', '\n');

    /// <summary>The value after the ':' (WSP around it trimmed), or null when the line has no ':'.</summary>
    public static string? Value(string line) => Colon(line) is var colon and >= 0 ? line[(colon + 1)..].Trim(' ', '\t', '\r', '\n') : null;
}
