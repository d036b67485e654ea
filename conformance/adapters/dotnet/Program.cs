using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using MtaSts.Functional;

// The reference adapter: one JSON request per stdin line, one answer per stdout line (docs/conformance-protocol.md).
var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
using var input = new StreamReader(Console.OpenStandardInput(), utf8);
using var output = new StreamWriter(Console.OpenStandardOutput(), utf8) { NewLine = "\n" };
var mode = ParseMode.Strict;
while (await input.ReadLineAsync() is { } line)
{
    var request = JsonNode.Parse(line)!.AsObject();
    var answer = new JsonObject { ["seq"] = request["seq"]!.GetValue<long>() };
    var kind = request["kind"]!.GetValue<string>();
    if (kind == "hello")
    {
        mode = request["profile"]?.GetValue<string>() == "lenient" ? ParseMode.Lenient : ParseMode.Strict;
        answer["protocol"] = 1;
        answer["name"] = "MtaSts.Functional";
        answer["version"] = typeof(Policy).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? string.Empty;
        answer["kinds"] = new JsonArray("record", "recordset", "policy", "match", "policy-url", "cert-name", "tlsrpt-record", "tlsrpt-recordset");
    }
    else
    {
        Adapter.Answer(kind, request, mode, answer);
    }

    await output.WriteLineAsync(answer.ToJsonString());
    await output.FlushAsync();
}

/// <summary>Each kind through the library's public API.</summary>
internal static class Adapter
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static void Answer(string kind, JsonObject request, ParseMode mode, JsonObject answer)
    {
        switch (kind)
        {
            case "record":
                Put(answer, StsRecord.Parse(Text(request, "input"), mode), static (a, r) => Record(a, r));
                break;
            case "recordset":
                Put(answer, StsRecord.FromTxtRecords(Records(request)), static (a, r) => Record(a, r));
                break;
            case "policy":
                var body = request["input"] is { } text ? text.GetValue<string>() : Decode(request["input_hex"]!.GetValue<string>());
                Put(answer, body is null ? Prelude.Left<MtaStsError, Policy>(new MtaStsError.InvalidValue("policy", "input_hex", "not UTF-8")) : Policy.Parse(body, mode), static (a, p) =>
                {
                    a["mode"] = p.Mode.ToKeyword();
                    a["mx"] = Strings(p.Mx.Map(static m => m.Render()));
                    a["max_age"] = p.MaxAge.Seconds;
                    a["version"] = p.Version;
                    a["extensions"] = Pairs(p.Extensions);
                });
                break;
            case "match":
                var host = Text(request, "host");
                answer["matches"] = request["patterns"]!.AsArray().Any(p => Enforcement.MxMatches(p!.GetValue<string>(), host));
                break;
            case "policy-url":
                Put(answer, Enforcement.PolicyUrl(Text(request, "domain")), static (a, url) => a["url"] = url.AbsoluteUri);
                break;
            case "cert-name":
                answer["matches"] = CertificateNames.Matches(request["dns_ids"]!.AsArray().Select(static d => d!.GetValue<string>()), Text(request, "host"));
                break;
            case "tlsrpt-record":
                Put(answer, TlsRptRecord.Parse(Text(request, "input"), mode), static (a, r) =>
                {
                    TlsRpt(a, r);
                    a["usable"] = Strings(r.Usable);
                });
                break;
            case "tlsrpt-recordset":
                Put(answer, TlsRptRecord.FromTxtRecords(Records(request)), static (a, r) => TlsRpt(a, r));
                break;
            default:
                answer["unsupported"] = true;
                break;
        }
    }

    private static void Put<T>(JsonObject answer, Either<MtaStsError, T> result, Action<JsonObject, T> fields) =>
        result.Match(
            Right: value =>
            {
                answer["accepted"] = true;
                fields(answer, value);
            },
            Left: error =>
            {
                answer["accepted"] = false;
                answer["error"] = error.Render();
            });

    private static void Record(JsonObject answer, StsRecord record)
    {
        answer["id"] = record.Id.Value;
        answer["extensions"] = Pairs(record.Extensions);
    }

    private static void TlsRpt(JsonObject answer, TlsRptRecord record)
    {
        answer["rua"] = Strings(record.Rua);
        answer["extensions"] = Pairs(record.Extensions);
    }

    private static string Text(JsonObject request, string name) => request[name]!.GetValue<string>();

    private static List<IReadOnlyList<string>> Records(JsonObject request) =>
        [.. request["records"]!.AsArray().Select(static rr => (IReadOnlyList<string>)[.. rr!.AsArray().Select(static s => s!.GetValue<string>())])];

    /// <summary>The bytes of <c>input_hex</c> as an HTTP body is decoded (§3.2: UTF-8), or null when they are not UTF-8.</summary>
    private static string? Decode(string hex)
    {
        try
        {
            return StrictUtf8.GetString(Convert.FromHexString(hex));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(static v => (JsonNode)v)]);

    private static JsonArray Pairs(IEnumerable<Extension> extensions) => new([.. extensions.Select(static e => (JsonNode)new JsonArray(e.Name, e.Value))]);
}
