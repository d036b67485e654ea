using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MtaSts.Functional.Resolver;
using MtaSts.Functional.Tests.Docs;
using MtaSts.MailKit.Tests.Servers;

namespace MtaSts.MailKit.Tests.Docs;

/// <summary>README's "Send with MailKit" example, verbatim, run against the loopback servers.</summary>
[Collection(MxCollection.Name)]
public class ReadmeMailKitExampleTests(MxWorld world)
{
    [Fact]
    public async Task HostedExample_SendsOneMessage()
    {
        world.Publish("example.com", "version: STSv1\r\nmode: enforce\r\nmx: good.mx.test\r\nmax_age: 604800\r\n", MxWorld.Good);
        var services = new ServiceCollection();
        services.Configure<MtaStsOptions>(o =>
        {
            o.NameServers.Add(world.Net.Dns.EndPoint);
            o.TrustAnchors.Add(world.Net.Pki.Root);
            o.PolicyPort = world.Net.Https.Port;
        });
        services.Configure<MtaStsDeliveryOptions>(o =>
        {
            o.SmtpPort = world.Port;
            o.TrustAnchors.Add(world.Net.Pki.Root);
        });

        // AddMtaStsMailKit adds IMtaStsSender (and AddMtaSts); register an ITlsSessionRecorder to keep the TLSRPT sessions
        services.AddMtaStsMailKit(o => o.LocalDomain = "mta.example.org");
        await using ServiceProvider provider = services.BuildServiceProvider();
        IMtaStsSender sender = provider.GetRequiredService<IMtaStsSender>();
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Alice", "alice@example.org"));
        message.To.Add(new MailboxAddress("Bob", "bob@example.com"));
        message.Subject = "Hello";
        message.Body = new TextPart("plain") { Text = "Sent under example.com's MTA-STS policy." };
        DeliveryReport report = await sender.SendAsync(message);
        Console.WriteLine(report.Status);   // delivered to mail.example.com (192.0.2.25): 250 Ok

        Assert.Equal(MxWorld.Good, Assert.IsType<DeliveryStatus.Delivered>(report.Status).Mx.Host);
        Assert.Contains(world.Mx[MxWorld.Good].Messages, static m => m.To.Contains("bob@example.com"));
    }

    [Fact]
    public void Example_IsTheCodeInTheReadme()
    {
        var section = DocSection.Read("README.md", "## Send with MailKit");
        var blocks = section.Split("```csharp\n").Skip(1).Select(static b => b[..b.IndexOf("```", StringComparison.Ordinal)]).ToList();
        var test = File.ReadAllLines(Path.Combine(Repo.Root, "tests", "MtaSts.MailKit.Tests", "Docs", "ReadmeMailKitExampleTests.cs")).Select(static l => l.Trim()).ToList();

        var missing = blocks.SelectMany(static b => b.Split('\n')).Select(static l => l.Trim()).Where(static l => l.Length > 0).Where(l => !test.Contains(l)).ToList();

        Assert.Single(blocks);
        Assert.Empty(missing);
    }
}
