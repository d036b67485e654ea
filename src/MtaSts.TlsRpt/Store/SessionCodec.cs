using System.Net;
using System.Text.Json;
using LanguageExt;
using MtaSts.Functional;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt;

/// <summary>A <see cref="TlsSession"/> as one line of JSON (the SQLite store's <c>session</c> column) and back.</summary>
internal static class SessionCodec
{
    public static string Write(TlsSession s)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", s.Policy.PolicyType);
            w.WriteString("domain", s.Policy.PolicyDomain.Value);
            Strings(w, "strings", s.Policy.PolicyStrings);
            Strings(w, "mx-host", s.Policy.MxHost);
            w.WriteString("mx", s.ReceivingMxHostname);
            w.WriteString("helo", s.ReceivingMxHelo);
            w.WriteString("receiving-ip", s.ReceivingIp?.ToString());
            w.WriteString("sending-ip", s.SendingMtaIp?.ToString());
            w.WriteStartArray("failures");
            foreach (var f in s.Failures)
            {
                w.WriteStartObject();
                w.WriteString("result-type", f.ResultType);
                w.WriteString("reason", f.FailureReasonCode);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteNumber("at", s.At.ToUnixTimeMilliseconds());
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The session back; None when the text is not a session this codec wrote (never throws).</summary>
    public static Option<TlsSession> Read(string text)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var r = doc.RootElement;
            return PolicyDomain.Parse(r.GetProperty("domain").GetString()).ToOption().Map(domain => new TlsSession(
                new TlsReportPolicy(r.GetProperty("type").GetString()!, domain, Strings(r.GetProperty("strings")), Strings(r.GetProperty("mx-host"))),
                r.GetProperty("mx").GetString()!,
                Address(r.GetProperty("receiving-ip")),
                Address(r.GetProperty("sending-ip")),
                r.GetProperty("failures").EnumerateArray().Select(static f => new TlsFailureDetail(f.GetProperty("result-type").GetString()!, f.GetProperty("reason").GetString())).ToSeq().Strict(),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetProperty("at").GetInt64()))
            {
                ReceivingMxHelo = r.TryGetProperty("helo", out var helo) && helo.ValueKind == JsonValueKind.String ? helo.GetString() : null,
            });
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return Option<TlsSession>.None;
        }
    }

    private static IPAddress? Address(JsonElement e) => e.ValueKind == JsonValueKind.String && IPAddress.TryParse(e.GetString(), out var ip) ? ip : null;

    private static Seq<string> Strings(JsonElement e) => e.EnumerateArray().Select(static s => s.GetString()!).ToSeq().Strict();

    private static void Strings(Utf8JsonWriter w, string name, Seq<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }
}
