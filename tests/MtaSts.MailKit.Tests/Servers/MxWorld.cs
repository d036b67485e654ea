using System.Net;
using System.Net.Sockets;
using MtaSts.Functional.Resolver;
using MtaSts.Testing;

namespace MtaSts.MailKit.Tests.Servers;

/// <summary>
/// The loopback world of the delivery tests: the shared DNS/HTTPS servers and test PKI, and one SMTP
/// server per MX host on its own address (127.0.0.2, …), all on one port, each with a certificate
/// made at start. Each test uses its own recipient domain, so tests see only their own messages.
/// </summary>
public sealed class MxWorld : IAsyncLifetime
{
    public const string Good = "good.mx.test";
    public const string Good2 = "good2.mx.test";
    public const string Expired = "expired.mx.test";
    public const string WrongName = "wrongname.mx.test";
    public const string Untrusted = "untrusted.mx.test";
    public const string NoStartTls = "nostarttls.mx.test";
    public const string Refuses454 = "refuse454.mx.test";
    public const string Sni = "sni.mx.test";
    public const string Unlisted = "unlisted.other.test";
    public const string Busy = "busy.mx.test";
    public const string Rejects = "rejects.mx.test";
    public const string Silent = "silent.mx.test";

    private readonly List<IAsyncDisposable> servers = [];

    public Loopback Net { get; } = new();

    public int Port { get; private set; }

    public Dictionary<string, PackageMx> Mx { get; } = new(StringComparer.OrdinalIgnoreCase);

    public RawMx Raw454 { get; private set; } = null!;

    public RawMx RawSni { get; private set; } = null!;

    /// <summary>Answers RCPT with 451 (a transient failure) after a valid STARTTLS.</summary>
    public RawMx RawBusy { get; private set; } = null!;

    /// <summary>Answers RCPT with 550 (a permanent failure) after a valid STARTTLS.</summary>
    public RawMx RawRejects { get; private set; } = null!;

    /// <summary>Accepts connections and never greets.</summary>
    public RawMx RawSilent { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Net.InitializeAsync();
        var pki = Net.Pki;
        var now = DateTimeOffset.UtcNow;
        for (var attempt = 0; ; attempt++)
        {
            Port = FreePort();
            try
            {
                Start(Good, 2, pki.Leaf(Good, [Good]));
                Start(Good2, 3, pki.Leaf(Good2, [Good2]));
                Start(Expired, 4, pki.Leaf(Expired, [Expired], now.AddDays(-20), now.AddDays(-10)));
                Start(WrongName, 5, pki.Leaf(WrongName, ["other.mx.test"])); // the CN names the MX, no DNS-ID does (M-05)
                Start(Untrusted, 6, Net.Untrusted.Leaf(Untrusted, [Untrusted]));
                Start(NoStartTls, 7, null);
                Start(Unlisted, 8, pki.Leaf(Unlisted, [Unlisted]));
                Raw454 = Track(new RawMx(Address(9), Port, null, 454));
                RawSni = Track(new RawMx(Address(10), Port, pki.Leaf(Sni, [Sni]), 220));
                Net.Dns.A(Refuses454, Address(9));
                RawBusy = Track(new RawMx(Address(11), Port, pki.Leaf(Busy, [Busy]), 220, rcptReply: 451));
                RawRejects = Track(new RawMx(Address(12), Port, pki.Leaf(Rejects, [Rejects]), 220, rcptReply: 550));
                Net.Dns.A(Sni, Address(10));
                Net.Dns.A(Busy, Address(11));
                RawSilent = Track(new RawMx(Address(13), Port, null, 220, silent: true));
                Net.Dns.A(Rejects, Address(12));
                Net.Dns.A(Silent, Address(13));
                return;
            }
            catch (SocketException) when (attempt < 5)
            {
                // Someone took the port on one of the addresses meanwhile: start again on another.
                await StopServersAsync();
            }
        }
    }

    public async Task DisposeAsync()
    {
        await StopServersAsync();
        await Net.DisposeAsync();
    }

    /// <summary>Resolver options pointed at the loopback DNS and HTTPS servers.</summary>
    public MtaStsOptions ResolverOptions() => Net.Options();

    /// <summary>Delivery options: the test port, the test CA as the anchor, a bound per attempt.</summary>
    public MtaStsDeliveryOptions DeliveryOptions()
    {
        var options = new MtaStsDeliveryOptions { SmtpPort = Port, AttemptTimeout = TimeSpan.FromSeconds(20), LocalDomain = "sender.test" };
        options.TrustAnchors.Add(Net.Pki.Root);
        return options;
    }

    /// <summary>Publishes <paramref name="domain"/>'s MX records (preference 10, 20, …) and, when given, its policy.</summary>
    public void Publish(string domain, string? policy, params string[] mxHosts)
    {
        Net.Dns.Remove(domain);
        for (var i = 0; i < mxHosts.Length; i++)
        {
            Net.Dns.Mx(domain, (ushort)(10 * (i + 1)), mxHosts[i]);
        }

        if (policy is not null)
        {
            Net.Publish(domain, "1", Loopback.Serve(policy));
        }
    }

    private static IPAddress Address(int last) => new([127, 0, 0, (byte)last]);

    private static int FreePort()
    {
        using var probe = new TcpListener(Address(2), 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private void Start(string name, int last, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        Mx[name] = Track(new PackageMx(name, Address(last), Port, certificate));
        Net.Dns.A(name, Address(last));
    }

    private T Track<T>(T server)
        where T : IAsyncDisposable
    {
        servers.Add(server);
        return server;
    }

    private async Task StopServersAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        servers.Clear();
        Mx.Clear();
    }
}

[CollectionDefinition(Name)]
public sealed class MxCollection : ICollectionFixture<MxWorld>
{
    public const string Name = "loopback MX servers";
}
