using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using LanguageExt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using MtaSts.Functional.Resolver;
using MtaSts.Functional.Resolver.Redis;
using MtaSts.Postfix;

namespace MtaSts.Cli;

/// <summary>
/// <c>mta-sts serve</c> (the Postfix socketmap TLS policy server) and <c>mta-sts query</c> (its client).
/// Settings come from a JSON file (<c>--config</c>), then environment variables (<c>MTASTS_</c> prefix,
/// <c>__</c> for nesting), then flags; the flags shared with <c>check</c> keep their meaning.
/// </summary>
internal static class ServeCommands
{
    /// <summary>The prefix of environment variables read by <c>serve</c> (e.g. <c>MTASTS_Cache</c>, <c>MTASTS_Listen__0</c>).</summary>
    public const string EnvironmentPrefix = "MTASTS_";

    public static Command Serve(CliConsole console, System.CommandLine.Option<string[]> dns, System.CommandLine.Option<string[]> trust, System.CommandLine.Option<int?> port, System.CommandLine.Option<double> timeout, System.CommandLine.Option<string?> cache, System.CommandLine.Option<string?> redis)
    {
        var config = new System.CommandLine.Option<string?>("--config") { Description = "A JSON settings file (keys as the flags: Listen, Dns, Trust, Cache, Redis, Timeout, PolicyPort, MapName, TlsrptMapName, ReplyTimeout, IdleTimeout, TxtFailureGrace, MaxConnections, StrictTesting, ServerName, Dane, ApplyBracketed, SocketMode, Metrics, Logging)" };
        var listen = new System.CommandLine.Option<string[]>("--listen") { Description = "Listen on IP:PORT or unix:PATH (repeatable; default 127.0.0.1:8461)" };
        var mapName = new System.CommandLine.Option<string?>("--map-name") { Description = "Map name of the plain reply (default postfix)" };
        var tlsrptMapName = new System.CommandLine.Option<string?>("--tlsrpt-map-name") { Description = "Map name of the reply with TLSRPT attributes, Postfix >= 3.10 (default postfix-tlsrpt)" };
        var replyTimeout = new System.CommandLine.Option<double?>("--reply-timeout") { Description = "Seconds a query waits for discovery before NOTFOUND (default 30; the lookup goes on in the background)" };
        var idleTimeout = new System.CommandLine.Option<double?>("--idle-timeout") { Description = "Seconds without a whole request before a connection is closed (default 102)" };
        var txtFailureGrace = new System.CommandLine.Option<double?>("--txt-failure-grace") { Description = "Seconds a TXT lookup's temporary failure (SERVFAIL, timeout) is reused before DNS is asked again (default 30, at most 300; 0 asks every time)" };
        var maxConnections = new System.CommandLine.Option<int?>("--max-connections") { Description = "Connections served at once (default 512)" };
        var strictTesting = new System.CommandLine.Option<bool?>("--strict-testing") { Description = "Answer mode testing like enforce (default false)" };
        var serverName = new System.CommandLine.Option<bool?>("--servername") { Description = "Add servername=hostname, Postfix >= 3.4 (default true)" };
        var dane = new System.CommandLine.Option<bool?>("--dane") { Description = "DANE first: hand DANE domains to Postfix's DANE (default true; needs a validating resolver)" };
        var bracketed = new System.CommandLine.Option<bool?>("--bracketed") { Description = "Apply the policy of domain to [domain] and [domain]:port keys (default false: NOTFOUND)" };
        var socketMode = new System.CommandLine.Option<string?>("--socket-mode") { Description = "File mode of a unix socket, octal (default 0666)" };
        var metrics = new System.CommandLine.Option<string?>("--metrics") { Description = "Serve Prometheus metrics at http://IP:PORT/metrics" };
        var serve = new Command("serve", "Postfix TLS policy server (socketmap): smtp_tls_policy_maps = socketmap:inet:127.0.0.1:8461:postfix")
        {
            config, listen, dns, trust, port, timeout, cache, redis, mapName, tlsrptMapName, replyTimeout, idleTimeout, txtFailureGrace, maxConnections, strictTesting, serverName, dane, bracketed, socketMode, metrics,
        };
        serve.SetAction((r, ct) => MtaStsCli.Guard(console, async () =>
        {
            var configuration = Configuration(r.GetValue(config));
            // A Match into a tuple: the Right type is an interface, which Either's explicit conversion cannot target.
            var (c, badConfig) = configuration.Match(
                Right: static v => (v, (CliFailure?)null),
                Left: static f => ((IConfiguration?)null, (CliFailure?)f));
            if (c is null)
            {
                return FileCommands.Fail(console, badConfig!);
            }

            var settings = new NetSettings(
                Strings(r.GetValue(dns), c, "Dns"),
                Strings(r.GetValue(trust), c, "Trust"),
                r.GetValue(port) ?? Number(c, "PolicyPort").Map(static n => (int)n).ToNullable(),
                r.GetResult(timeout) is { Implicit: false } ? r.GetValue(timeout) : Number(c, "Timeout").IfNone(r.GetValue(timeout)),
                r.GetValue(cache) ?? c["Cache"] ?? CacheCommands.DefaultPath,
                r.GetValue(redis) ?? c["Redis"]);
            var resolver = NetCommands.Options(settings);
            if (resolver.IsLeft)
            {
                return FileCommands.Fail(console, (CliFailure)resolver);
            }

            var options = new SocketmapOptions();
            foreach (var address in Strings(r.GetValue(listen), c, "Listen"))
            {
                options.Listen.Add(address);
            }

            options.MapName = r.GetValue(mapName) ?? c["MapName"] ?? options.MapName;
            options.TlsrptMapName = r.GetValue(tlsrptMapName) ?? c["TlsrptMapName"] ?? options.TlsrptMapName;
            options.ReplyTimeout = Seconds(r.GetValue(replyTimeout), c, "ReplyTimeout", options.ReplyTimeout);
            options.IdleTimeout = Seconds(r.GetValue(idleTimeout), c, "IdleTimeout", options.IdleTimeout);
            options.MaxConnections = r.GetValue(maxConnections) ?? Number(c, "MaxConnections").Map(static n => (int)n).IfNone(options.MaxConnections);
            options.StrictTesting = r.GetValue(strictTesting) ?? Flag(c, "StrictTesting").IfNone(options.StrictTesting);
            options.ServerName = r.GetValue(serverName) ?? Flag(c, "ServerName").IfNone(options.ServerName);
            options.Dane = r.GetValue(dane) ?? Flag(c, "Dane").IfNone(options.Dane);
            options.ApplyBracketed = r.GetValue(bracketed) ?? Flag(c, "ApplyBracketed").IfNone(options.ApplyBracketed);
            options.Metrics = r.GetValue(metrics) ?? c["Metrics"];
            var problem = Check(options, r.GetValue(socketMode) ?? c["SocketMode"]);
            if (problem is not null)
            {
                return FileCommands.Fail(console, problem);
            }

            var mtaSts = (MtaStsOptions)resolver;
            mtaSts.TxtFailureGrace = Seconds(r.GetValue(txtFailureGrace), c, "TxtFailureGrace", mtaSts.TxtFailureGrace);
            if (mtaSts.TxtFailureGrace < TimeSpan.Zero)
            {
                return FileCommands.Fail(console, new CliFailure(ExitCodes.Usage, "--txt-failure-grace must be 0 or a positive number of seconds"));
            }

            mtaSts.ProactiveRefresh = true;   // C-06: a daemon refreshes before expiry
            try
            {
                var builder = PostfixHost.CreateBuilder(mtaSts, options, c);
                if (settings.Redis is { } connection)
                {
                    // The fleet's shared cache (issue #14): --cache, if given, is this machine's fallback.
                    builder.Services.AddMtaStsRedis(o => o.ConnectionString = connection);
                }

                using var host = builder.Build();
                await host.RunAsync(ct).ConfigureAwait(false);
                return ExitCodes.Ok;
            }
            catch (SocketException e)
            {
                return FileCommands.Fail(console, new CliFailure(ExitCodes.Network, $"cannot listen on {string.Join(", ", options.ListenOrDefault)}: {e.Message}"));
            }
        }));
        return serve;
    }

    public static Command Query(CliConsole console)
    {
        var key = new Argument<string>("key") { Description = "The key Postfix would ask for (a next-hop domain)" };
        var server = new System.CommandLine.Option<string>("--server") { Description = "The server: IP:PORT or unix:PATH (default 127.0.0.1:8461)", DefaultValueFactory = static _ => "127.0.0.1:8461" };
        var name = new System.CommandLine.Option<string>("--name") { Description = "The map name (default postfix)", DefaultValueFactory = static _ => "postfix" };
        var query = new Command("query", "Ask a socketmap server as Postfix does and print the reply (exit 0 OK, 1 NOTFOUND, 3 TEMP/PERM or no connection)") { key, server, name };
        query.SetAction((r, ct) => MtaStsCli.Guard(console, async () =>
        {
            string reply;
            try
            {
                await using var client = await SocketmapClient.ConnectAsync(r.GetRequiredValue(server), ct).ConfigureAwait(false);
                using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
                bound.CancelAfter(TimeSpan.FromSeconds(100));   // Postfix's own limit
                reply = await client.QueryAsync(r.GetRequiredValue(name), r.GetRequiredValue(key), bound.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or IOException or FormatException or OperationCanceledException)
            {
                return FileCommands.Fail(console, new CliFailure(ExitCodes.Network, $"{r.GetRequiredValue(server)}: {e.Message}"));
            }

            console.Out.WriteLine(reply);
            return reply.StartsWith("OK ", StringComparison.Ordinal) ? ExitCodes.Ok
                : reply.StartsWith("NOTFOUND", StringComparison.Ordinal) ? ExitCodes.Invalid
                : ExitCodes.Network;
        }));
        return query;
    }

    private static Either<CliFailure, IConfiguration> Configuration(string? file)
    {
        var builder = new ConfigurationBuilder();
        if (file is not null)
        {
            if (!File.Exists(file))
            {
                return new CliFailure(ExitCodes.Usage, $"--config '{file}': no such file");
            }

            builder.AddJsonFile(Path.GetFullPath(file), optional: false, reloadOnChange: false);
        }

        builder.AddEnvironmentVariables(EnvironmentPrefix);
        try
        {
            return Either<CliFailure, IConfiguration>.Right(builder.Build());
        }
        catch (Exception e) when (e is FormatException or InvalidDataException or IOException)
        {
            return new CliFailure(ExitCodes.Usage, $"--config '{file}': {e.Message}");
        }
    }

    private static string[] Strings(string[]? flag, IConfiguration c, string key)
    {
        if (flag is { Length: > 0 })
        {
            return flag;
        }

        var section = c.GetSection(key);
        return section.Value is { Length: > 0 } one ? [one] : [.. section.GetChildren().Select(static s => s.Value).OfType<string>()];
    }

    private static LanguageExt.Option<double> Number(IConfiguration c, string key) =>
        double.TryParse(c[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : LanguageExt.Option<double>.None;

    private static LanguageExt.Option<bool> Flag(IConfiguration c, string key) =>
        bool.TryParse(c[key], out var b) ? b : LanguageExt.Option<bool>.None;

    private static TimeSpan Seconds(double? flag, IConfiguration c, string key, TimeSpan fallback) =>
        flag is { } s ? TimeSpan.FromSeconds(s) : Number(c, key).Map(TimeSpan.FromSeconds).IfNone(fallback);

    private static CliFailure? Check(SocketmapOptions options, string? socketMode)
    {
        foreach (var address in options.ListenOrDefault)
        {
            try
            {
                _ = SocketmapServer.ParseEndPoint(address);
            }
            catch (FormatException e)
            {
                return new CliFailure(ExitCodes.Usage, "--listen " + e.Message);
            }
        }

        if (options.ReplyTimeout <= TimeSpan.Zero || options.IdleTimeout <= TimeSpan.Zero)
        {
            return new CliFailure(ExitCodes.Usage, "--reply-timeout and --idle-timeout must be positive numbers of seconds");
        }

        if (options.MaxConnections < 1)
        {
            return new CliFailure(ExitCodes.Usage, "--max-connections must be at least 1");
        }

        if (string.IsNullOrWhiteSpace(options.MapName) || string.IsNullOrWhiteSpace(options.TlsrptMapName) || options.MapName.Contains(' ', StringComparison.Ordinal) || options.MapName == options.TlsrptMapName)
        {
            return new CliFailure(ExitCodes.Usage, "--map-name and --tlsrpt-map-name must be two different names without spaces");
        }

        if (socketMode is not null)
        {
            try
            {
                options.SocketMode = (UnixFileMode)Convert.ToInt32(socketMode, 8);
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
            {
                return new CliFailure(ExitCodes.Usage, $"--socket-mode '{socketMode}': not an octal file mode");
            }
        }

        if (options.Metrics is { } metrics && !(System.Net.IPEndPoint.TryParse(metrics, out var ip) && ip.Port != 0))
        {
            return new CliFailure(ExitCodes.Usage, $"--metrics '{metrics}': expected IP:PORT");
        }

        return null;
    }
}
