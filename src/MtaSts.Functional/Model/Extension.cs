namespace MtaSts.Functional;

/// <summary>
/// An unknown (extension) field, kept in input order and printed back (D-08). Extensions never
/// change a decision (RFC 8461 §3.2: "unknown fields SHALL be ignored").
/// </summary>
/// <param name="Name">The field name, exactly as written.</param>
/// <param name="Value">The value, without the delimiter's or the line's surrounding whitespace.</param>
public sealed record Extension(string Name, string Value);
