namespace MtaSts.Cli.Tests.Conformance;

/// <summary>
/// The peer adapters speak the conformance protocol (docs/conformance-protocol.md) over a real pipe: the
/// handshake, one answer per request in order, the RFC's own examples read through the library, a bad
/// request line answered (not a crash), an unknown kind answered unsupported, a clean exit when stdin closes.
/// Their pass rates on the vectors are other projects' behaviour and are not asserted (.ci/run prints them).
/// </summary>
public sealed class PeerAdapterProtocolTests
{
    [PeerFact("mailauth")]
    public Task Mailauth_SpeaksTheProtocol() => SpeaksTheProtocol(Peers.Mailauth, "mailauth");

    [PeerFact("postfix-mta-sts-resolver")]
    public Task PostfixMtaStsResolver_SpeaksTheProtocol() => SpeaksTheProtocol(Peers.PostfixMtaStsResolver, "postfix-mta-sts-resolver");

    private static async Task SpeaksTheProtocol(Peer peer, string name)
    {
        Assert.True(peer.Missing is null, peer.Missing);
        await using var adapter = Adapter.Start(peer.Command);

        var hello = await adapter.Ask("""{"seq":0,"kind":"hello","protocol":1,"profile":"strict"}""");
        Assert.Equal(0, hello["seq"]!.GetValue<int>());
        Assert.Equal(1, hello["protocol"]!.GetValue<int>());
        Assert.Equal(name, hello["name"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(hello["version"]!.GetValue<string>()));
        var kinds = hello["kinds"]!.AsArray().Select(static k => k!.GetValue<string>()).ToList();
        Assert.Contains("record", kinds);
        Assert.Contains("policy", kinds);

        var bad = await adapter.Ask("this line is not JSON");
        Assert.False(string.IsNullOrEmpty(bad["error"]!.GetValue<string>()));
        Assert.Null(bad["accepted"]);

        // RFC 8461 §3.1's example record, then §3.2's example policy: read by the library.
        var record = await adapter.Ask("""{"seq":1,"kind":"record","input":"v=STSv1; id=20160831085700Z;"}""");
        Assert.Equal(1, record["seq"]!.GetValue<int>());
        Assert.True(record["accepted"]!.GetValue<bool>(), record.ToJsonString());
        Assert.Equal("20160831085700Z", record["id"]!.GetValue<string>());

        var policy = await adapter.Ask("""{"seq":2,"kind":"policy","input":"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmx: backupmx.example.com\r\nmax_age: 604800\r\n"}""");
        Assert.Equal(2, policy["seq"]!.GetValue<int>());
        Assert.True(policy["accepted"]!.GetValue<bool>(), policy.ToJsonString());
        Assert.Equal("enforce", policy["mode"]!.GetValue<string>());
        Assert.Equal(["mail.example.com", "*.example.net", "backupmx.example.com"], policy["mx"]!.AsArray().Select(static m => m!.GetValue<string>()));
        Assert.Equal(604800L, policy["max_age"]!.GetValue<long>());

        var rejected = await adapter.Ask("""{"seq":3,"kind":"policy","input":"<html>not a policy</html>"}""");
        Assert.Equal(3, rejected["seq"]!.GetValue<int>());
        Assert.False(rejected["accepted"]!.GetValue<bool>(), rejected.ToJsonString());

        var unknown = await adapter.Ask("""{"seq":4,"kind":"no-such-kind"}""");
        Assert.Equal(4, unknown["seq"]!.GetValue<int>());
        Assert.True(unknown["unsupported"]!.GetValue<bool>(), unknown.ToJsonString());

        Assert.Equal(0, await adapter.CloseAndWait());
    }
}
