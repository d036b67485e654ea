using System.Diagnostics;

namespace MtaSts.Functional.Resolver.Redis.Tests;

/// <summary>A fleet node in its own process (MtaSts.Functional.Resolver.Redis.Node), driven line by line; killed by its PID on dispose.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly SemaphoreSlim one = new(1, 1);

    private NodeProcess(Process process) => this.process = process;

    public static async Task<NodeProcess> StartAsync(RedisServer server, string prefix, string name, params string[] extra)
    {
        var node = Path.Combine(AppContext.BaseDirectory.Replace("MtaSts.Functional.Resolver.Redis.Tests", "MtaSts.Functional.Resolver.Redis.Node", StringComparison.Ordinal), "MtaSts.Functional.Resolver.Redis.Node.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { node, "--redis", server.ConnectionString, "--prefix", prefix, "--node", name }.Concat(extra))
        {
            start.ArgumentList.Add(a);
        }

        var process = Process.Start(start)!;
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginErrorReadLine();
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (ready != "ready")
        {
            process.Kill();
            throw new InvalidOperationException($"node {name} did not start: {ready}");
        }

        return new NodeProcess(process);
    }

    /// <summary>Sends one command and reads its one-line answer.</summary>
    public async Task<string> AskAsync(string command)
    {
        await one.WaitAsync();
        try
        {
            await process.StandardInput.WriteLineAsync(command);
            await process.StandardInput.FlushAsync();
            return await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "(exited)";
        }
        finally
        {
            one.Release();
        }
    }

    /// <summary>Sends many commands at once (the node runs them in order), then reads every answer.</summary>
    public async Task<string[]> AskAllAsync(IEnumerable<string> commands)
    {
        var list = commands.ToList();
        await one.WaitAsync();
        try
        {
            await process.StandardInput.WriteAsync(string.Concat(list.Select(static c => c + "\n")));
            await process.StandardInput.FlushAsync();
            var answers = new string[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                answers[i] = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "(exited)";
            }

            return answers;
        }
        finally
        {
            one.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
        one.Dispose();
    }
}
