using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace MtaSts.Conformance.Run;

/// <summary>What one request got: an answer line, nothing in time, or a closed adapter.</summary>
internal abstract record Exchange
{
    private Exchange()
    {
    }

    /// <summary>One line on stdout.</summary>
    public sealed record Line(string Text) : Exchange;

    /// <summary>No line within the time bound.</summary>
    public sealed record Timeout(TimeSpan After) : Exchange;

    /// <summary>stdout closed or stdin broken before an answer; the exit code when the process has exited.</summary>
    public sealed record Closed(int? ExitCode) : Exchange;
}

/// <summary>
/// The implementation under test in a child process: requests on its stdin, answer lines from its stdout, the last
/// lines of its stderr kept for the report. Killed (with its process tree) on a hang and on dispose when it does not
/// exit by itself within 5 seconds of stdin closing.
/// </summary>
internal sealed class AdapterProcess : IAsyncDisposable
{
    private const int StderrLines = 10;
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    private readonly Process process;
    private readonly Channel<string> stdout = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Queue<string> stderr = new();
    private readonly Task readers;

    private AdapterProcess(Process process)
    {
        this.process = process;
        readers = Task.WhenAll(Task.Run(ReadStdoutAsync), Task.Run(ReadStderrAsync));
    }

    /// <summary>The process id.</summary>
    public int Id => process.Id;

    /// <summary>The last lines the adapter wrote on stderr.</summary>
    public string StderrTail
    {
        get
        {
            lock (stderr)
            {
                return string.Join(" | ", stderr);
            }
        }
    }

    /// <summary>Starts <paramref name="command"/>; the error text when it cannot be started.</summary>
    public static (AdapterProcess? Adapter, string? Error) Start(string command, IReadOnlyList<string> args)
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = utf8,
            StandardOutputEncoding = utf8,
            StandardErrorEncoding = utf8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            var process = Process.Start(start);
            if (process is null)
            {
                return (null, $"cannot start {command}");
            }

            process.StandardInput.NewLine = "\n";
            return (new AdapterProcess(process), null);
        }
        catch (Win32Exception e)
        {
            return (null, $"cannot start {command}: {e.Message}");
        }
    }

    /// <summary>Writes one request line and waits at most <paramref name="timeout"/> for one answer line.</summary>
    public async Task<Exchange> ExchangeAsync(string request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exchange = SendAndReadAsync(request);
        try
        {
            return await exchange.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The write may be stuck on a full pipe, or the read on a silent adapter: killing it ends both.
            Kill();
            _ = exchange.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            return new Exchange.Timeout(timeout);
        }
    }

    /// <summary>Kills the adapter and its children (no-op when it has exited).</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (Win32Exception)
        {
            // exited between the check and the signal
        }
    }

    /// <summary>Closes stdin, gives the adapter 5 seconds to exit, kills it otherwise.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the pipe is already broken
        }

        using (var grace = new CancellationTokenSource(ExitGrace))
        {
            try
            {
                await process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                Kill();
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        try
        {
            // A child the adapter left behind may still hold its stdout open.
            await readers.WaitAsync(ExitGrace).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // left to the finalizers; the adapter itself has exited
        }

        process.Dispose();
    }

    private async Task<Exchange> SendAndReadAsync(string request)
    {
        try
        {
            await process.StandardInput.WriteLineAsync(request).ConfigureAwait(false);
            await process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            return await ClosedAsync().ConfigureAwait(false);
        }

        return await stdout.Reader.WaitToReadAsync().ConfigureAwait(false) && stdout.Reader.TryRead(out var line)
            ? new Exchange.Line(line)
            : await ClosedAsync().ConfigureAwait(false);
    }

    private async Task<Exchange> ClosedAsync()
    {
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return new Exchange.Closed(process.ExitCode);
        }
        catch (OperationCanceledException)
        {
            return new Exchange.Closed(null);
        }
    }

    private async Task ReadStdoutAsync()
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                stdout.Writer.TryWrite(line);
            }
        }
        catch (IOException)
        {
            // killed while reading
        }
        finally
        {
            stdout.Writer.TryComplete();
        }
    }

    private async Task ReadStderrAsync()
    {
        try
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                lock (stderr)
                {
                    stderr.Enqueue(line.Length > 300 ? line[..300] + "…" : line);
                    while (stderr.Count > StderrLines)
                    {
                        stderr.Dequeue();
                    }
                }
            }
        }
        catch (IOException)
        {
            // killed while reading
        }
    }
}
