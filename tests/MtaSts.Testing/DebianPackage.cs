using System.Collections.Concurrent;
using System.Diagnostics;

namespace MtaSts.Testing;

/// <summary>
/// Services some tests run themselves come from Debian packages (<c>redis-server</c>, <c>postfix</c> for
/// <c>postmap</c>). So that the README's <c>dotnet test MtaSts.Functional.sln</c> works on a fresh machine,
/// a missing one is installed here when the test process can (root, <c>apt-get</c> present): once per
/// package and process, serialised across test processes by a lock file, bounded in time. When it
/// cannot, the caller reports its tests skipped with the reason (or failed under <c>CI=true</c>).
/// <c>.ci/run</c> installs the same packages before the tests, so under CI this normally finds them present.
/// </summary>
public static class DebianPackage
{
    private static readonly ConcurrentDictionary<string, Lazy<bool>> Installed = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="path"/> exists, after installing <paramref name="package"/> if it did not and this process may.</summary>
    /// <param name="path">The file the tests need, e.g. <c>/usr/bin/redis-server</c>.</param>
    /// <param name="package">The Debian package that provides it.</param>
    /// <param name="debconf">A debconf selection to preseed before installing (postfix asks what mail system to configure), or null.</param>
    /// <returns>Whether the file exists now.</returns>
    public static bool Ensure(string path, string package, string? debconf = null) =>
        File.Exists(path) || (Installed.GetOrAdd(package, p => new Lazy<bool>(() => Install(p, debconf))).Value && File.Exists(path));

    private static bool Install(string package, string? debconf)
    {
        if (!string.Equals(Environment.UserName, "root", StringComparison.Ordinal) || !File.Exists("/usr/bin/apt-get"))
        {
            return false;
        }

        // Test assemblies run in parallel processes: one apt-get at a time (dpkg and the package lists have locks of their own).
        using var gate = AcquireLock(Path.Combine(Path.GetTempPath(), "mtasts-apt-get.lock"), TimeSpan.FromMinutes(10));
        if (gate is null)
        {
            return false;
        }

        var preseed = debconf is null ? string.Empty : $"echo '{debconf}' | debconf-set-selections && ";
        return Run($"{preseed}apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq {package} </dev/null >/dev/null", TimeSpan.FromMinutes(10));
    }

    private static bool Run(string script, TimeSpan limit)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", script }, UseShellExecute = false })!;
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }

    private static FileStream? AcquireLock(string path, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(500);
            }
            catch (IOException)
            {
                return null;
            }
        }
    }
}
