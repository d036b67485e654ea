using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using MtaSts.Conformance.Vectors;

namespace MtaSts.Conformance.Run;

/// <summary>What the report header says about the run besides the results.</summary>
/// <param name="Command">The command line of the implementation.</param>
/// <param name="Profile">The profile.</param>
/// <param name="Public">Public vectors in the run.</param>
/// <param name="Generated">Generated vectors in the run.</param>
/// <param name="Seed">The generators' seed (with <paramref name="Generated"/> &gt; 0).</param>
internal sealed record ReportHeader(string Command, Profiles Profile, int Public, int Generated, ulong Seed);

/// <summary>One requirement or decision id: its text and how its vectors did.</summary>
internal sealed record RequirementTally(string Id, string Text, int Passed, int Failed, int Other)
{
    /// <summary>Vectors judged (passed or failed).</summary>
    public int Judged => Passed + Failed;
}

/// <summary>The run's report as text, JSON or JUnit XML: counts per requirement, every failure with input, expected, actual and the requirement's text.</summary>
internal static class Reports
{
    private const int Cut = 400;

    private static readonly Outcome[] Failures = [Outcome.Wrong, Outcome.MissingField, Outcome.Garbled, Outcome.Hang, Outcome.Crash];

    /// <summary>Each id the run's vectors test, in id order (N-, D-, L-, M-, F-, T-, others), with its counts.</summary>
    public static IReadOnlyList<RequirementTally> Tally(RunResult run) =>
        [.. run.Results
            .SelectMany(static r => r.Vector.Tests.Distinct().Select(id => (Id: id, r.Verdict)))
            .GroupBy(static x => x.Id)
            .OrderBy(static g => Order(g.Key)).ThenBy(static g => g.Key, StringComparer.Ordinal)
            .Select(static g => new RequirementTally(
                g.Key,
                Requirements.Text(g.Key),
                g.Count(static x => x.Verdict.Outcome == Outcome.Passed),
                g.Count(static x => x.Verdict.Failed),
                g.Count(static x => !x.Verdict.Failed && x.Verdict.Outcome != Outcome.Passed)))];

    public static string Text(RunResult run, ReportHeader header)
    {
        var text = new StringBuilder();
        text.AppendLine($"mta-sts conformance: {run.Implementation.Name} {run.Implementation.Version}".TrimEnd());
        text.AppendLine(CultureInfo.InvariantCulture, $"command:  {header.Command}");
        text.AppendLine(CultureInfo.InvariantCulture, $"profile:  {Name(header.Profile)}; vectors: {header.Public} public + {header.Generated} generated{(header.Generated > 0 ? $" (seed {header.Seed})" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"result:   {Summary(run)}");
        if (run.Stopped is not null)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"stopped:  {run.Stopped}");
        }

        text.AppendLine().AppendLine("Per requirement (passed/judged; the text is the decision or the digest's requirement):");
        foreach (var t in Tally(run))
        {
            var other = t.Other > 0 ? $" (+{t.Other} not judged)" : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {t.Id,-5} {t.Passed,6}/{t.Judged,-6}{other} {Shorten(t.Text, 110)}");
        }

        var failed = run.Results.Where(static r => r.Verdict.Failed).ToList();
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Failures ({failed.Count}):");
        foreach (var r in failed)
        {
            var v = r.Vector;
            text.AppendLine(CultureInfo.InvariantCulture, $"  {v.Id} [{OutcomeName(r.Verdict.Outcome)}] {v.Kind}: tests {string.Join(", ", v.Tests)} ({v.Rfc})");
            text.AppendLine(CultureInfo.InvariantCulture, $"    input:    {Shorten(Input(v).ToJsonString(), Cut)}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    expected: {v.Expect.ToJsonString()}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    actual:   {(r.Verdict.Answer is { } a ? Shorten(a, Cut) : "(no answer)")}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    detail:   {r.Verdict.Detail}");
            text.AppendLine(CultureInfo.InvariantCulture, $"    why:      {v.Reason}");
            foreach (var id in v.Tests.Distinct())
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    {id}: {Requirements.Text(id)}");
            }
        }

        return text.ToString();
    }

    public static string Json(RunResult run, ReportHeader header)
    {
        var counts = new JsonObject();
        foreach (var outcome in Enum.GetValues<Outcome>())
        {
            counts[OutcomeName(outcome)] = run.Results.Count(r => r.Verdict.Outcome == outcome);
        }

        var report = new JsonObject
        {
            ["implementation"] = new JsonObject { ["name"] = run.Implementation.Name, ["version"] = run.Implementation.Version },
            ["command"] = header.Command,
            ["profile"] = Name(header.Profile),
            ["public"] = header.Public,
            ["generated"] = header.Generated,
            ["seed"] = header.Generated > 0 ? header.Seed : null,
            ["counts"] = counts,
            ["restarts"] = run.Restarts,
            ["stopped"] = run.Stopped,
            ["exit_code"] = run.ExitCode,
            ["requirements"] = new JsonArray([.. Tally(run).Select(static t => (JsonNode)new JsonObject
            {
                ["id"] = t.Id,
                ["text"] = t.Text,
                ["passed"] = t.Passed,
                ["failed"] = t.Failed,
                ["not_judged"] = t.Other,
            })]),
            ["failures"] = new JsonArray([.. run.Results.Where(static r => r.Verdict.Failed).Select(static r => (JsonNode)new JsonObject
            {
                ["id"] = r.Vector.Id,
                ["kind"] = r.Vector.Kind,
                ["outcome"] = OutcomeName(r.Verdict.Outcome),
                ["detail"] = r.Verdict.Detail,
                ["tests"] = new JsonArray([.. r.Vector.Tests.Select(static t => (JsonNode)t)]),
                ["rfc"] = r.Vector.Rfc,
                ["reason"] = r.Vector.Reason,
                ["request"] = r.Vector.Request.DeepClone(),
                ["expected"] = r.Vector.Expect.DeepClone(),
                ["actual"] = r.Verdict.Answer,
            })]),
        };
        return report.ToJsonString() + "\n";
    }

    /// <summary>JUnit XML: one suite per kind, one case per vector; failures carry input, expected, actual and the requirements' text.</summary>
    public static string Junit(RunResult run, ReportHeader header)
    {
        var suites = run.Results.GroupBy(static r => r.Vector.Kind).Select(g => new XElement(
            "testsuite",
            new XAttribute("name", $"mta-sts conformance {g.Key} ({Name(header.Profile)})"),
            new XAttribute("tests", g.Count()),
            new XAttribute("failures", g.Count(static r => r.Verdict.Outcome is Outcome.Wrong or Outcome.MissingField)),
            new XAttribute("errors", g.Count(static r => r.Verdict.Outcome is Outcome.Garbled or Outcome.Hang or Outcome.Crash)),
            new XAttribute("skipped", g.Count(static r => r.Verdict.Outcome is Outcome.NotSupported or Outcome.NotRun)),
            g.Select(static r => Case(r))));
        var root = new XElement(
            "testsuites",
            new XAttribute("name", $"mta-sts conformance: {run.Implementation.Name} {run.Implementation.Version}".TrimEnd()),
            new XAttribute("tests", run.Results.Count),
            new XAttribute("failures", run.Results.Count(static r => r.Verdict.Failed)),
            suites);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).ToString() + "\n";
    }

    /// <summary>"10480 passed, 60 failed (wrong 50, …), 0 not supported, 0 not run; 3 restarts".</summary>
    public static string Summary(RunResult run)
    {
        int Count(Outcome o) => run.Results.Count(r => r.Verdict.Outcome == o);
        var failed = run.Results.Count(static r => r.Verdict.Failed);
        var kinds = string.Join(", ", Failures.Where(o => Count(o) > 0).Select(o => $"{OutcomeName(o)} {Count(o)}"));
        return $"{Count(Outcome.Passed)} passed, {failed} failed{(kinds.Length > 0 ? $" ({kinds})" : string.Empty)}, {Count(Outcome.NotSupported)} not supported, {Count(Outcome.NotRun)} not run; {run.Restarts} restarts";
    }

    public static string OutcomeName(Outcome outcome) => outcome switch
    {
        Outcome.Passed => "passed",
        Outcome.Wrong => "wrong",
        Outcome.MissingField => "missing-field",
        Outcome.Garbled => "garbled",
        Outcome.Hang => "hang",
        Outcome.Crash => "crash",
        Outcome.NotSupported => "not-supported",
        Outcome.NotRun => "not-run",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome)),
    };

    private static XElement Case(VectorResult r)
    {
        var v = r.Vector;
        var element = new XElement("testcase", new XAttribute("classname", $"conformance.{v.Kind}"), new XAttribute("name", $"{v.Id} ({string.Join(", ", v.Tests)})"));
        var body = $"input:    {Input(v).ToJsonString()}\nexpected: {v.Expect.ToJsonString()}\nactual:   {r.Verdict.Answer ?? "(no answer)"}\nwhy:      {v.Reason}\n"
            + string.Concat(v.Tests.Distinct().Select(static id => $"{id}: {Requirements.Text(id)}\n"));
        switch (r.Verdict.Outcome)
        {
            case Outcome.Wrong or Outcome.MissingField:
                element.Add(new XElement("failure", new XAttribute("type", OutcomeName(r.Verdict.Outcome)), new XAttribute("message", XmlSafe(r.Verdict.Detail)), XmlSafe(body)));
                break;
            case Outcome.Garbled or Outcome.Hang or Outcome.Crash:
                element.Add(new XElement("error", new XAttribute("type", OutcomeName(r.Verdict.Outcome)), new XAttribute("message", XmlSafe(r.Verdict.Detail)), XmlSafe(body)));
                break;
            case Outcome.NotSupported or Outcome.NotRun:
                element.Add(new XElement("skipped", new XAttribute("message", XmlSafe(r.Verdict.Detail))));
                break;
            default:
                break;
        }

        return element;
    }

    /// <summary>The request without its kind: what the implementation was given.</summary>
    private static JsonObject Input(Vector v)
    {
        var input = (JsonObject)v.Request.DeepClone();
        input.Remove("kind");
        return input;
    }

    /// <summary>XML 1.0 cannot hold most control characters even escaped: an adapter's raw output may have them.</summary>
    private static string XmlSafe(string s) => string.Concat(s.Select(static c => System.Xml.XmlConvert.IsXmlChar(c) || char.IsSurrogate(c) ? c.ToString() : $"\\u{(int)c:X4}"));

    private static string Name(Profiles profile) => profile == Profiles.Lenient ? "lenient" : "strict";

    private static int Order(string id) => id.Length > 0 ? "NDLMFTC".IndexOf(id[0], StringComparison.Ordinal) is var i and >= 0 ? i : 9 : 9;

    private static string Shorten(string s, int max) => s.Length <= max ? s : s[..max] + $"… ({s.Length} chars)";
}
