using System.Diagnostics;
using MtaSts.Functional.Tests.Docs;
using MtaSts.Testing;

namespace MtaSts.Cli.Tests.Conformance;

/// <summary>
/// An adapter in <c>conformance/adapters/</c> for another project's MTA-STS implementation, and what it needs
/// installed: the command line that runs it, or why it cannot run here.
/// </summary>
/// <param name="Name">The adapter's folder name.</param>
/// <param name="Command">The program and its arguments, as given to <c>mta-sts conformance run --</c>.</param>
/// <param name="Missing">Why it cannot run here (null when it can).</param>
public sealed record Peer(string Name, IReadOnlyList<string> Command, string? Missing)
{
    /// <summary>Why its tests are skipped: the package is missing outside CI. Under <c>CI=true</c> nothing is skipped, so a missing package fails.</summary>
    public string? SkipReason =>
        Missing is not null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase)
            ? $"{Missing} (.ci/run installs it; under CI=true this test fails instead)"
            : null;
}

/// <summary>
/// The two peers. Like the Debian services of the other tests (<see cref="DebianPackage"/>), a missing package is
/// installed when this process can: <c>npm ci</c> from the adapter's lockfile, <c>apt-get install</c> as root.
/// </summary>
public static class Peers
{
    private static readonly Lazy<Peer> MailauthPeer = new(LoadMailauth);
    private static readonly Lazy<Peer> ResolverPeer = new(LoadResolver);

    /// <summary>mailauth (npm), pinned in <c>conformance/adapters/mailauth/package-lock.json</c>.</summary>
    public static Peer Mailauth => MailauthPeer.Value;

    /// <summary>Debian's <c>postfix-mta-sts-resolver</c>, through Debian's Python.</summary>
    public static Peer PostfixMtaStsResolver => ResolverPeer.Value;

    /// <summary>Both peers by adapter name.</summary>
    public static Peer Named(string name) => name switch
    {
        "mailauth" => Mailauth,
        "postfix-mta-sts-resolver" => PostfixMtaStsResolver,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such peer adapter"),
    };

    private static string Folder(string name) => Path.Combine(Repo.Root, "conformance", "adapters", name);

    private static Peer LoadMailauth()
    {
        var folder = Folder("mailauth");
        var command = new[] { "node", Path.Combine(folder, "adapter.js") };
        var installed = Path.Combine(folder, "node_modules", "mailauth", "package.json");
        if (OnPath("node") is null || OnPath("npm") is null)
        {
            return new Peer("mailauth", command, "node and npm are not on PATH");
        }

        if (!File.Exists(installed) && !Run("npm", folder, TimeSpan.FromMinutes(5), "ci", "--no-audit", "--no-fund"))
        {
            return new Peer("mailauth", command, $"npm ci in {folder} failed (is the npm registry reachable?)");
        }

        return new Peer("mailauth", command, File.Exists(installed) ? null : $"{installed} is missing after npm ci");
    }

    private static Peer LoadResolver()
    {
        const string Module = "/usr/lib/python3/dist-packages/postfix_mta_sts_resolver/resolver.py";
        var command = new[] { "/usr/bin/python3", Path.Combine(Folder("postfix-mta-sts-resolver"), "adapter.py") };
        return DebianPackage.Ensure(Module, "postfix-mta-sts-resolver") && File.Exists(command[0])
            ? new Peer("postfix-mta-sts-resolver", command, null)
            : new Peer("postfix-mta-sts-resolver", command, $"{Module} is not installed and could not be installed here (needs root and apt-get: apt-get install postfix-mta-sts-resolver)");
    }

    private static string? OnPath(string program) => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(d => Path.Combine(d, program))
        .FirstOrDefault(File.Exists);

    private static bool Run(string program, string directory, TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = directory, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            using var process = Process.Start(start)!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            drain.Wait(limit);
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>A fact that needs a peer adapter: skipped with the reason when its package is missing, failing under <c>CI=true</c>.</summary>
public sealed class PeerFactAttribute : FactAttribute
{
    /// <param name="name">The adapter's folder name in <c>conformance/adapters/</c>.</param>
    public PeerFactAttribute(string name) => Skip = Peers.Named(name).SkipReason!;
}
