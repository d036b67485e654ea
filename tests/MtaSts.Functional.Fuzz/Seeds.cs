using System.Text;
using System.Text.Json;

namespace MtaSts.Functional.Fuzz;

/// <summary>Seeds each target's corpus from the public conformance vectors, in that target's input shape.</summary>
public static class Seeds
{
    public static int Write(string target, string conformanceDir, string seedDir)
    {
        Directory.CreateDirectory(seedDir);
        var n = 0;
        foreach (var seed in For(target, conformanceDir).Where(static s => Encoding.UTF8.GetByteCount(s) <= 4096).Distinct())
        {
            File.WriteAllText(Path.Combine(seedDir, $"seed-{n++:D4}"), seed, new UTF8Encoding(false));
        }

        return n;
    }

    private static IEnumerable<string> For(string target, string dir) => target switch
    {
        "record" or "record-lenient" => Inputs(dir, "record.json").Concat(Inputs(dir, "lenient.json", "record")),
        "policy" or "policy-lenient" => Inputs(dir, "policy.json").Concat(Inputs(dir, "lenient.json", "policy")),
        "recordset" => Vectors(dir, "recordset.json").Select(static v => string.Join('\n', v.GetProperty("records").EnumerateArray().Select(static r => string.Join('\t', r.EnumerateArray().Select(static s => s.GetString()))))),
        "match" => Vectors(dir, "match.json").SelectMany(static v => (v.TryGetProperty("patterns", out var ps) ? ps.EnumerateArray().Select(static p => p.GetString()) : [v.GetProperty("pattern").GetString()])
            .Select(p => p + "\n" + v.GetProperty("host").GetString())),
        "policy-url" => Vectors(dir, "policy-url.json").Select(static v => v.GetProperty("domain").GetString()!),
        "cert-name" => Vectors(dir, "cert-name.json").Select(static v => string.Join('\n', v.GetProperty("dns_ids").EnumerateArray().Select(static d => d.GetString()).Prepend(v.GetProperty("host").GetString()))),
        _ => [],
    };

    private static IEnumerable<string> Inputs(string dir, string file, string? kind = null) =>
        Vectors(dir, file).Where(v => kind is null || v.GetProperty("kind").GetString() == kind)
            .Where(static v => v.TryGetProperty("input", out _)).Select(static v => v.GetProperty("input").GetString()!);

    private static IEnumerable<JsonElement> Vectors(string dir, string file) =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, file))).RootElement.EnumerateArray();
}
