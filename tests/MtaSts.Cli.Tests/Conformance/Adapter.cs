using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace MtaSts.Cli.Tests.Conformance;

/// <summary>An adapter process with its stdin and stdout; stderr is drained and kept for failure messages.</summary>
internal sealed class Adapter : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly Process process;
    private readonly StringBuilder errors = new();

    private Adapter(Process process)
    {
        this.process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginErrorReadLine();
    }

    public static Adapter Start(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardInputEncoding = new UTF8Encoding(false),
        };
        foreach (var a in command.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        return new Adapter(Process.Start(start)!);
    }

    /// <summary>Writes one request line and reads its one answer line, which must be a JSON object.</summary>
    public async Task<JsonObject> Ask(string request)
    {
        await process.StandardInput.WriteAsync(request + "\n");
        await process.StandardInput.FlushAsync();
        using var timeout = new CancellationTokenSource(Bound);
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        Assert.True(line is not null, $"the adapter closed stdout after {request}; stderr:\n{Errors}");
        return JsonNode.Parse(line) as JsonObject ?? throw new Xunit.Sdk.XunitException($"not a JSON object: {line}");
    }

    /// <summary>Closes stdin; the adapter must exit by itself within the protocol's 5 seconds.</summary>
    public async Task<int> CloseAndWait()
    {
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    private string Errors
    {
        get
        {
            lock (errors)
            {
                return errors.ToString();
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        process.Dispose();
        return ValueTask.CompletedTask;
    }
}
