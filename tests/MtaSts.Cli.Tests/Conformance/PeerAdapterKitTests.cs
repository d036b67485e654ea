using System.Text.Json.Nodes;

namespace MtaSts.Cli.Tests.Conformance;

/// <summary>
/// Each peer through the kit (<c>mta-sts conformance run</c>) on every public vector, in both profiles: every vector of
/// a kind the adapter lists gets a well-formed, judged answer (passed or wrong — never missing-field, garbled, hang or
/// crash, no restart), and exactly the vectors of the other kinds are "not supported". How many pass is not asserted:
/// that is the other project's behaviour (docs/conformance-report.md).
/// </summary>
public sealed class PeerAdapterKitTests
{
    [PeerFact("mailauth")]
    public Task Mailauth_AnswersEveryPublicVector() => AnswersEveryPublicVector(Peers.Mailauth);

    [PeerFact("postfix-mta-sts-resolver")]
    public Task PostfixMtaStsResolver_AnswersEveryPublicVector() => AnswersEveryPublicVector(Peers.PostfixMtaStsResolver);

    private static async Task AnswersEveryPublicVector(Peer peer)
    {
        Assert.True(peer.Missing is null, peer.Missing);
        IReadOnlyList<string> kinds;
        await using (var adapter = Adapter.Start(peer.Command))
        {
            var hello = await adapter.Ask("""{"seq":0,"kind":"hello","protocol":1,"profile":"strict"}""");
            kinds = [.. hello["kinds"]!.AsArray().Select(static k => k!.GetValue<string>())];
        }

        foreach (var profile in new[] { "strict", "lenient" })
        {
            var export = await Run.InProcess("conformance", "export", "--profile", profile);
            Assert.True(export.Code == 0, export.ToString());
            var vectorKinds = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(static l => JsonNode.Parse(l)!["kind"]!.GetValue<string>()).ToList();

            var run = await Run.InProcess(["conformance", "run", "--profile", profile, "--format", "json", "--", .. peer.Command]);
            Assert.True(run.Code is 0 or 1, run.ToString());
            var report = JsonNode.Parse(run.Out)!.AsObject();
            var counts = report["counts"]!.AsObject();
            int Count(string outcome) => counts[outcome]!.GetValue<int>();

            var notWrong = report["failures"]!.AsArray().Where(static f => f!["outcome"]!.GetValue<string>() != "wrong").Select(static f => f!.ToJsonString()).ToList();
            Assert.True(notWrong.Count == 0, $"{profile}: answers that are not well-formed:\n{string.Join('\n', notWrong)}");
            Assert.Equal(0, report["restarts"]!.GetValue<int>());
            Assert.Equal(0, Count("not-run"));
            Assert.Equal(vectorKinds.Count(k => kinds.Contains(k)), Count("passed") + Count("wrong"));
            Assert.Equal(vectorKinds.Count(k => !kinds.Contains(k)), Count("not-supported"));
        }
    }
}
