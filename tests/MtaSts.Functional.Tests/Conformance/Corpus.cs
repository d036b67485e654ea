using System.Text;
using System.Text.Json;

namespace MtaSts.Functional.Tests.Conformance;

/// <summary>The public conformance corpus (copies of ../shared/conformance/*.json), by file and vector id.</summary>
public static class Corpus
{
    private static readonly Dictionary<string, Dictionary<string, JsonElement>> Files = new();

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Conformance");

    public static JsonElement Vector(string file, string id) => Load(file)[id];

    /// <summary>The ids of a file's vectors, optionally only those of one kind, as xunit rows.</summary>
    public static TheoryData<string> Ids(string file, string? kind = null)
    {
        var data = new TheoryData<string>();
        foreach (var (id, v) in Load(file))
        {
            if (kind is null || v.GetProperty("kind").GetString() == kind)
            {
                data.Add(id);
            }
        }

        return data;
    }

    /// <summary>A policy vector's input: <c>input</c>, or <c>input_hex</c> decoded with a throwing UTF-8 decoder (null when it does not decode).</summary>
    public static string? PolicyInput(JsonElement v)
    {
        if (v.TryGetProperty("input", out var input))
        {
            return input.GetString()!;
        }

        var bytes = Convert.FromHexString(v.GetProperty("input_hex").GetString()!);
        try
        {
            return new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static Dictionary<string, JsonElement> Load(string file)
    {
        lock (Files)
        {
            if (!Files.TryGetValue(file, out var vectors))
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, file)));
                vectors = doc.RootElement.EnumerateArray().ToDictionary(static v => v.GetProperty("id").GetString()!, static v => v.Clone());
                Files[file] = vectors;
            }

            return vectors;
        }
    }
}
