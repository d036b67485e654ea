using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using MtaSts.Functional.Resolver;
using Xunit;

namespace MtaSts.Testing;

/// <summary>
/// The shared loopback world: one DNS server, one HTTPS server, a trusted test CA and an untrusted
/// one. Each test case uses its own domain, so cases never disturb each other.
/// </summary>
public sealed class Loopback : IAsyncLifetime
{
    public const string ValidPolicy = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.test\r\nmx: *.backup.example.test\r\nmax_age: 86400\r\n";

    public TestPki Pki { get; } = new("MtaSts Test Root");

    public TestPki Untrusted { get; } = new("Untrusted Root");

    public LoopbackDns Dns { get; } = new();

    public LoopbackHttps Https { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Https = await LoopbackHttps.StartAsync(Pki.Leaf("fallback", ["fallback.test"]));

    public async Task DisposeAsync()
    {
        await Https.DisposeAsync();
        await Dns.DisposeAsync();
        Pki.Dispose();
        Untrusted.Dispose();
    }

    /// <summary>Resolver options pointed at the loopback servers, trusting the test CA, with short timeouts.</summary>
    public MtaStsOptions Options(TimeSpan? fetchTimeout = null)
    {
        var options = new MtaStsOptions
        {
            DnsTimeout = TimeSpan.FromSeconds(3),
            DnsRetries = 0,
            FetchTimeout = fetchTimeout ?? TimeSpan.FromSeconds(5),
            PolicyPort = Https.Port,
            ProactiveRefresh = false,

            // Integration tests change TXT ids (and break DNS) between lookups without moving the clock: every lookup asks DNS.
            TxtGrace = TimeSpan.Zero,
            TxtFailureGrace = TimeSpan.Zero,
        };
        options.NameServers.Add(Dns.EndPoint);
        options.TrustAnchors.Add(Pki.Root);
        return options;
    }

    /// <summary>Publishes a domain (replacing what was there): TXT id, the policy host's address, its certificate and handler.</summary>
    public void Publish(string domain, string id, RequestDelegate handler, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate = null)
    {
        Dns.Remove("_mta-sts." + domain);
        Dns.Remove("mta-sts." + domain);
        Dns.Txt("_mta-sts." + domain, $"v=STSv1; id={id};");
        Dns.A("mta-sts." + domain, IPAddress.Loopback);
        Https.Host("mta-sts." + domain, certificate ?? Pki.Leaf("mta-sts." + domain, ["mta-sts." + domain]), handler);
    }

    /// <summary>Publishes a new TXT id for <paramref name="domain"/> (the old record goes).</summary>
    public void ChangeId(string domain, string id)
    {
        Dns.Remove("_mta-sts." + domain);
        Dns.Txt("_mta-sts." + domain, $"v=STSv1; id={id};");
    }

    public static RequestDelegate Serve(string body, string? contentType = "text/plain", int status = 200, bool contentLength = true) => async context =>
    {
        context.Response.StatusCode = status;
        if (contentType is not null)
        {
            context.Response.ContentType = contentType;
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        await WriteAsync(context, bytes, contentLength);
    };

    public static RequestDelegate ServeBytes(byte[] bytes, bool contentLength = true) => async context =>
    {
        context.Response.ContentType = "text/plain";
        await WriteAsync(context, bytes, contentLength);
    };

    private static async Task WriteAsync(HttpContext context, byte[] bytes, bool contentLength)
    {
        if (contentLength)
        {
            context.Response.ContentLength = bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
        }
        else
        {
            // No Content-Length: Kestrel sends the body chunked, in pieces.
            for (var i = 0; i < bytes.Length; i += 4096)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(i, Math.Min(4096, bytes.Length - i)));
                await context.Response.Body.FlushAsync();
            }
        }
    }
}
