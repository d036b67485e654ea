using FsCheck;
using FsCheck.Fluent;

namespace MtaSts.Conformance.Generators;

/// <summary>
/// A one-point breakage of a valid rendering and where the error must be: a syntax error at
/// (<see cref="Line"/>, <see cref="Column"/>), or the semantic error "<see cref="MissingField"/> is missing".
/// </summary>
internal sealed record Mutation(string Text, string What, int Line, int Column, string? MissingField)
{
    /// <summary>The decision the breakage violates (D-xx), for the conformance vectors made from it.</summary>
    public string Decision { get; init; } = string.Empty;

    /// <summary>Whether the breakage is one of the L-01 deviations, which lenient mode repairs (then it is not an error there).</summary>
    public bool RepairedLeniently { get; init; }

    public override string ToString() =>
        $"{What}, expected {(MissingField is null ? $"error at {Line}:{Column}" : $"missing {MissingField}")}: \"{Escape.Text(Text)}\"";
}

/// <summary>One L-01 deviation applied to a valid rendering, and the one warning it must give.</summary>
internal sealed record Deviation(string Text, WarningKind Kind, int Line, int Column)
{
    public override string ToString() => $"{Kind} at {Line}:{Column}: \"{Escape.Text(Text)}\"";
}

/// <summary>Breakages of canonical renderings (RFC 8461 §3.1, §3.2; D-01, D-02, D-05, D-06, D-07, D-09).</summary>
internal static class MutationGenerators
{
    public static Gen<Mutation> Policy(Policy policy)
    {
        var lines = policy.Render().Split("\r\n")[..^1];
        var modeLine = 2;
        var maxAgeLine = 3 + policy.Mx.Count;
        var kinds = new List<Gen<Mutation>>
        {
            // D-01: the mode keyword is case-sensitive.
            Tag(Gen.Constant(Replace(lines, modeLine, 6, char.ToUpperInvariant(lines[modeLine - 1][6]), "wrong-case mode value", modeLine, 7)), "D-01"),

            // D-01: so is the version value.
            Tag(Gen.Constant(Replace(lines, 1, 9, 's', "wrong-case version value", 1, 10)), "D-01"),

            // D-05: no WSP before ':'.
            Tag(
                from line in Gen.Choose(1, lines.Length)
                from wsp in Gen.Elements(" ", "\t")
                let colon = lines[line - 1].IndexOf(':')
                select Insert(lines, line, colon, wsp, "WSP before ':'", line, colon + 1),
                "D-05",
                repairedLeniently: true),

            // D-05: no leading WSP.
            Tag(
                from line in Gen.Choose(1, lines.Length)
                from wsp in Gen.Elements(" ", "\t")
                select Insert(lines, line, 0, wsp, "leading WSP", line, 1),
                "D-05",
                repairedLeniently: true),

            // D-05: no blank line.
            Tag(Gen.Choose(1, lines.Length).Select(line => BlankLineBefore(lines, line)), "D-05", repairedLeniently: true),

            // D-04: max_age is digits only.
            Tag(
                from digit in Gen.Choose(0, lines[maxAgeLine - 1].Length - "max_age: ".Length - 1)
                from bad in Gen.Elements('x', '-', '+', '_', '.')
                select Replace(lines, maxAgeLine, 9 + digit, bad, $"'{bad}' in max_age", maxAgeLine, 10 + digit),
                "D-04"),

            // D-07: version, mode and max_age are required.
            Tag(Gen.Elements(("version", 1), ("mode", modeLine), ("max_age", maxAgeLine)).Select(f => Remove(lines, f.Item2, f.Item1)), "D-07"),
        };

        if (!policy.Mx.IsEmpty)
        {
            // D-06: a character outside LDH in an mx value, where the value can no longer continue.
            kinds.Add(Tag(
                from index in Gen.Choose(0, policy.Mx.Count - 1)
                let value = lines[2 + index].Substring(4)
                from position in Gen.Elements(BreakablePositions(value))
                select Replace(lines, 3 + index, 4 + position, '_', "'_' in an mx value", 3 + index, 5 + position),
                "D-06"));

            // D-06: a label of 64 octets.
            kinds.Add(Tag(
                from index in Gen.Choose(0, policy.Mx.Count - 1)
                let pattern = policy.Mx[index]
                let prefix = pattern is MxPattern.Wildcard ? "*." : string.Empty
                let label = new string('a', 64)
                select ReplaceLine(lines, 3 + index, $"mx: {prefix}{label}.{pattern.Domain.Value}", "64-octet label", 3 + index, 5 + prefix.Length + 63),
                "D-06"));
        }

        if (!policy.Extensions.IsEmpty)
        {
            // D-08: no CTLs in an extension value.
            kinds.Add(Tag(
                from index in Gen.Choose(0, policy.Extensions.Count - 1)
                let line = maxAgeLine + 1 + index
                let valueStart = lines[line - 1].IndexOf(": ", StringComparison.Ordinal) + 2
                from offset in Gen.Choose(1, lines[line - 1].Length - valueStart)
                from ctl in Gen.Elements('\u0000', '\u0001', '\u001F', '\u007F', '\u000B')
                select Insert(lines, line, valueStart + offset, ctl.ToString(), $"U+{(int)ctl:X4} in an extension value", line, valueStart + offset + 1),
                "D-08"));
        }

        return Gen.OneOf(kinds);
    }

    public static Gen<Mutation> Record(StsRecord record)
    {
        var text = record.Render();
        var id = record.Id.Value;
        var kinds = new List<Gen<Mutation>>
        {
            // D-01: v=STSv1 is case-sensitive.
            Gen.Constant(new Mutation("V" + text[1..], "wrong-case version", 1, 1, null) { Decision = "D-01" }),

            // D-02: an id outside 1*32(ALPHA / DIGIT) is an error, never an extension.
            from position in Gen.Choose(0, id.Length - 1)
            from bad in Gen.Elements('-', '_', '.', '+', ':', '/')
            select new Mutation(text[..(12 + position)] + bad + text[(13 + position)..], $"'{bad}' in the id", 1, 13 + position, null) { Decision = "D-02" },

            // D-02: 33 characters are one too many.
            Gen.Constant(new Mutation(text[..12] + id + new string('z', 33 - id.Length) + text[(12 + id.Length)..], "33-character id", 1, 13 + 32, null) { Decision = "D-02" }),

            // D-09: no empty field.
            Gen.Constant(new Mutation("v=STSv1;" + text[7..], "empty field", 1, 9, null) { Decision = "D-09", RepairedLeniently = true }),

            // §3.1: id is required (with no other field left, the record lacks its one required field).
            Gen.Constant((record.Extensions.IsEmpty
                ? new Mutation("v=STSv1;", "no field", 1, 9, null)
                : new Mutation("v=STSv1;" + text[(13 + id.Length)..], "no id", 0, 0, "id")) with { Decision = "D-09" }),
        };

        return Gen.OneOf(kinds);
    }

    /// <summary>L-01 deviations, one at a time, on the canonical CRLF rendering.</summary>
    public static Gen<Deviation> PolicyDeviation(Policy policy)
    {
        var lines = policy.Render().Split("\r\n")[..^1];
        var kinds = new List<Gen<Deviation>>
        {
            Gen.Constant(new Deviation("\uFEFF" + Join(lines), WarningKind.ByteOrderMark, 1, 1)),

            from line in Gen.Choose(1, lines.Length)
            from wsp in Gen.Elements(" ", "\t", "  ", " \t")
            select new Deviation(Join(With(lines, line, wsp + lines[line - 1])), WarningKind.LeadingWhitespace, line, 1),

            from line in Gen.Choose(1, lines.Length)
            from wsp in Gen.Elements(" ", "\t", "  ")
            let colon = lines[line - 1].IndexOf(':')
            select new Deviation(Join(With(lines, line, lines[line - 1].Insert(colon, wsp))), WarningKind.WhitespaceBeforeColon, line, colon + 1),

            from line in Gen.Choose(1, lines.Length + 1)
            from blank in Gen.Elements(string.Empty, " ", "\t ")
            select new Deviation(Join([.. lines[..(line - 1)], blank, .. lines[(line - 1)..]]), WarningKind.BlankLine, line, 1),

            from line in Gen.Choose(1, lines.Length)
            select new Deviation(string.Concat(lines.Select((l, i) => l + (i == line - 1 ? "\r" : "\r\n"))), WarningKind.BareCarriageReturn, line, lines[line - 1].Length + 1),
        };

        if (!policy.Mx.IsEmpty)
        {
            kinds.Add(
                from index in Gen.Choose(0, policy.Mx.Count - 1)
                select new Deviation(Join(With(lines, 3 + index, lines[2 + index] + ".")), WarningKind.MxTrailingDot, 3 + index, lines[2 + index].Length + 1));
        }

        return Gen.OneOf(kinds);
    }

    public static Gen<Deviation> RecordDeviation(StsRecord record)
    {
        var text = record.Render();
        return Gen.OneOf(
            Gen.Elements(" ", "\t", "  ").Select(w => new Deviation(w + text, WarningKind.RecordLeadingWhitespace, 1, 1)),
            Gen.Elements(" ", "\t", " \t").Select(w => new Deviation(text[..^1] + w, WarningKind.RecordTrailingWhitespace, 1, text.Length)),
            Gen.Elements(string.Empty, " ", "\t").Select(w => new Deviation("v=STSv1;" + w + text[7..], WarningKind.EmptyField, 1, 8)));
    }

    private static Gen<Mutation> Tag(Gen<Mutation> mutation, string decision, bool repairedLeniently = false) =>
        mutation.Select(m => m with { Decision = decision, RepairedLeniently = repairedLeniently });

    /// <summary>Positions in an mx value where '_' must be the error: a letter or digit not just after '-' (there the error is the Ldh-str ending in '-').</summary>
    private static int[] BreakablePositions(string value) =>
        [.. Enumerable.Range(0, value.Length).Where(i => char.IsAsciiLetterOrDigit(value[i]) && (i == 0 || value[i - 1] != '-'))];

    private static Mutation Replace(string[] lines, int line, int index, char c, string what, int errorLine, int errorColumn) =>
        ReplaceLine(lines, line, lines[line - 1][..index] + c + lines[line - 1][(index + 1)..], what, errorLine, errorColumn);

    private static Mutation Insert(string[] lines, int line, int index, string text, string what, int errorLine, int errorColumn) =>
        ReplaceLine(lines, line, lines[line - 1].Insert(index, text), what, errorLine, errorColumn);

    private static Mutation ReplaceLine(string[] lines, int line, string replacement, string what, int errorLine, int errorColumn) =>
        new(Join(With(lines, line, replacement)), what, errorLine, errorColumn, null);

    private static Mutation BlankLineBefore(string[] lines, int line) =>
        new(Join([.. lines[..(line - 1)], string.Empty, .. lines[(line - 1)..]]), "blank line", line, 1, null);

    private static Mutation Remove(string[] lines, int line, string field) =>
        new(Join([.. lines[..(line - 1)], .. lines[line..]]), $"no {field}", 0, 0, field);

    private static string[] With(string[] lines, int line, string replacement)
    {
        var copy = (string[])lines.Clone();
        copy[line - 1] = replacement;
        return copy;
    }

    private static string Join(string[] lines) => string.Concat(lines.Select(static l => l + "\r\n"));
}
