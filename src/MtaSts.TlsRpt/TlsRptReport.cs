using System.Globalization;
using System.IO.Compression;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MtaSts.TlsRpt;

/// <summary>Who sends the reports (RFC 8460 §4.4 <c>organization-name</c>, <c>contact-info</c>; §5.1 <c>sender</c>).</summary>
/// <param name="OrganizationName">The sending organisation's name.</param>
/// <param name="ContactInfo">An RFC 5322 addr-spec for the report's <c>contact-info</c>, e.g. <c>tlsrpt@mta.example.org</c>.</param>
/// <param name="SenderDomain">The sender's domain (A-labels), used in the file name and the default report id.</param>
public sealed record TlsRptSender(string OrganizationName, string ContactInfo, string SenderDomain);

/// <summary>
/// One RFC 8460 §4.4 report: the JSON for one policy domain and UTC day, deterministic (members in §4.4's
/// order, policies and failure details sorted), its gzip form (§5.2) and its §5.1 file name.
/// </summary>
public sealed record TlsRptReport
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    private TlsRptReport(TlsRptSender sender, string reportId, string json, string fileName, DailyResults results)
    {
        Sender = sender;
        ReportId = reportId;
        Json = json;
        FileName = fileName;
        Results = results;
    }

    /// <summary>Who reports.</summary>
    public TlsRptSender Sender { get; }

    /// <summary>The <c>report-id</c>.</summary>
    public string ReportId { get; }

    /// <summary>The report as JSON text (UTF-8 when sent).</summary>
    public string Json { get; }

    /// <summary>The §5.1 file name of the gzip form: <c>sender!policy-domain!begin!end.json.gz</c> (Unix seconds).</summary>
    public string FileName { get; }

    /// <summary>What the report counts.</summary>
    public DailyResults Results { get; }

    /// <summary>The §5.2 gzip form (<c>application/tlsrpt+gzip</c>).</summary>
    public byte[] Gzip()
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(System.Text.Encoding.UTF8.GetBytes(Json));
        }

        return buffer.ToArray();
    }

    /// <summary>Builds the report of one policy domain and day.</summary>
    /// <param name="sender">Who reports.</param>
    /// <param name="results">The day's results for the policy domain.</param>
    /// <param name="reportId">The report id; default <c>YYYYMMDD.policy-domain@sender-domain</c> (unique per domain and day, as mox).</param>
    /// <returns>The report.</returns>
    public static TlsRptReport Build(TlsRptSender sender, DailyResults results, string? reportId = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(results);
        var start = new DateTimeOffset(results.Day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = start.AddDays(1).AddSeconds(-1); // RFC 8460 §4.4 "a full UTC day"; §4.5's example ends at 23:59:59Z
        var id = reportId ?? $"{results.Day.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.{results.PolicyDomain}@{sender.SenderDomain}";
        var fileName = string.Join('!', sender.SenderDomain, results.PolicyDomain, start.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), end.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)) + ".json.gz";
        return new TlsRptReport(sender, id, Write(sender, results, id, start, end), fileName, results);
    }

    private static string Write(TlsRptSender sender, DailyResults results, string id, DateTimeOffset start, DateTimeOffset end)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("organization-name", sender.OrganizationName);
            w.WriteStartObject("date-range");
            w.WriteString("start-datetime", Rfc3339(start));
            w.WriteString("end-datetime", Rfc3339(end));
            w.WriteEndObject();
            w.WriteString("contact-info", sender.ContactInfo);
            w.WriteString("report-id", id);
            w.WriteStartArray("policies"); // RFC 8460 §4: always an array
            foreach (var (policy, counts) in results.Policies)
            {
                w.WriteStartObject();
                w.WriteStartObject("policy");
                w.WriteString("policy-type", policy.Type);
                if (policy.Type != MailKit.TlsReportPolicy.NoPolicyFound)
                {
                    WriteStrings(w, "policy-string", policy.Strings); // one element per policy line (§4.5)
                }

                w.WriteString("policy-domain", policy.Domain);
                if (policy.Type == MailKit.TlsReportPolicy.Sts)
                {
                    WriteStrings(w, "mx-host", policy.MxHost); // an array (erratum 6241)
                }

                w.WriteEndObject();
                w.WriteStartObject("summary");
                w.WriteNumber("total-successful-session-count", counts.Successful);
                w.WriteNumber("total-failure-session-count", counts.Failed);
                w.WriteEndObject();
                w.WriteStartArray("failure-details");
                foreach (var (detail, n) in counts.Details)
                {
                    w.WriteStartObject();
                    w.WriteString("result-type", detail.ResultType);
                    WriteOptional(w, "sending-mta-ip", detail.SendingMtaIp);
                    w.WriteString("receiving-mx-hostname", detail.ReceivingMxHostname);
                    WriteOptional(w, "receiving-mx-helo", detail.ReceivingMxHelo);
                    WriteOptional(w, "receiving-ip", detail.ReceivingIp);
                    w.WriteNumber("failed-session-count", n);
                    WriteOptional(w, "failure-reason-code", detail.FailureReasonCode);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>RFC 3339 §5.6 <c>date-time</c> in UTC: <c>2016-04-01T00:00:00Z</c>.</summary>
    private static string Rfc3339(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string value)
    {
        if (value.Length > 0)
        {
            w.WriteString(name, value);
        }
    }
}
