using System.Diagnostics;
using System.Globalization;
using LanguageExt;
using MtaSts.MailKit;

namespace MtaSts.TlsRpt.Tests.Store;

/// <summary>The SQLite store's file: concurrent writers (two store objects; two processes), a killed writer, a corrupt file.</summary>
public sealed class SqliteStoreTests : IDisposable
{
    private static readonly DateOnly WriterDay = new(2026, 11, 30);
    private readonly string directory = Directory.CreateTempSubdirectory("tlsrpt-sqlite-").FullName;

    private string File(string name) => Path.Combine(directory, name);

    private static string Writer => Path.Combine(AppContext.BaseDirectory.Replace("MtaSts.TlsRpt.Tests", "MtaSts.TlsRpt.StoreWriter", StringComparison.Ordinal), "MtaSts.TlsRpt.StoreWriter.dll");

    private static Process StartWriter(string path, string tag, int? count = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Writer, path, tag }.Concat(count is { } n ? [n.ToString(CultureInfo.InvariantCulture)] : []))
        {
            start.ArgumentList.Add(a);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task TwoStoresOnOneFile_WritingAtOnce_LoseNothing()
    {
        var path = File("two.db");
        var a = new SqliteTlsRptStore(path);
        var b = new SqliteTlsRptStore(path);
        const int PerWriter = 200;

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < PerWriter; i++) { await a.RecordAsync(Sessions.Ok(Sessions.Sts, i % 60)); } }),
            Task.Run(async () => { for (var i = 0; i < PerWriter; i++) { await b.RecordAsync(Sessions.Failed(Sessions.Sts, i % 60, new TlsFailureDetail("certificate-expired", null))); } }));

        Assert.Null(a.Problem);
        Assert.Null(b.Problem);
        var counts = Assert.Single((await new SqliteTlsRptStore(path).GetAsync("company-y.example", new DateOnly(2016, 4, 1))).IfNone(() => throw new InvalidOperationException("missing")).Policies).Value;
        Assert.Equal((PerWriter, PerWriter), (counts.Successful, counts.Failed));
    }

    [Fact]
    public async Task TwoProcesses_WritingAtOnce_LoseNothing()
    {
        var path = File("processes.db");
        _ = new SqliteTlsRptStore(path); // the schema exists before both start
        const int PerWriter = 300;
        using var first = StartWriter(path, "a", PerWriter);
        using var second = StartWriter(path, "b", PerWriter);
        var outputs = await Task.WhenAll(first.StandardOutput.ReadToEndAsync(), second.StandardOutput.ReadToEndAsync());
        await Task.WhenAll(first.WaitForExitAsync(), second.WaitForExitAsync());
        Assert.True((first.ExitCode, second.ExitCode) == (0, 0), await first.StandardError.ReadToEndAsync() + await second.StandardError.ReadToEndAsync());

        var store = new SqliteTlsRptStore(path);
        var day = await store.DayAsync(WriterDay);
        Assert.Equal(new[] { "writer-a.test", "writer-b.test" }, day.Map(static r => r.PolicyDomain));
        Assert.All(day, static r => Assert.Equal((PerWriter / 2L, PerWriter / 2L), (Assert.Single(r.Policies).Value.Successful, Assert.Single(r.Policies).Value.Failed)));
        Assert.All(outputs, static o => Assert.Contains($"committed {PerWriter - 1}", o, StringComparison.Ordinal));
    }

    [Fact]
    public async Task KilledWriter_LosesNothingCommitted()
    {
        var path = File("killed.db");
        using var process = StartWriter(path, "k");
        var last = -1;
        while (last < 50 && await process.StandardOutput.ReadLineAsync() is { } line)
        {
            last = int.Parse(line["committed ".Length..], CultureInfo.InvariantCulture);
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        foreach (var line in (await process.StandardOutput.ReadToEndAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            last = int.Parse(line["committed ".Length..], CultureInfo.InvariantCulture); // what it printed before the kill, still in the pipe
        }

        Assert.True(last >= 50, "the writer committed sessions before it was killed: " + await process.StandardError.ReadToEndAsync());

        // Every session reported committed is there; at most the one in flight when killed is extra.
        var counts = Assert.Single((await new SqliteTlsRptStore(path).GetAsync("writer-k.test", WriterDay)).IfNone(() => throw new InvalidOperationException("lost")).Policies).Value;
        Assert.InRange(counts.Successful + counts.Failed, last + 1, last + 2);
    }

    [Fact]
    public async Task Attempts_SurviveReopening()
    {
        var path = File("attempts.db");
        var key = new ReportKey("company-y.example", new DateOnly(2016, 4, 1));
        var at = new DateTimeOffset(2016, 4, 2, 2, 0, 0, TimeSpan.Zero);
        var attempt = new DeliveryAttempt(at, Prelude.Seq(new DestinationResult("https://a.example/", DestinationOutcome.Rejected, "HTTP 500"), new DestinationResult("mailto:r@b.example", DestinationOutcome.Unreachable, "refused")), ReportState.Retrying, at.AddMinutes(5), "no destination accepted the report");
        var store = new SqliteTlsRptStore(path);
        await store.RecordAsync(Sessions.Ok(Sessions.Sts));
        await store.RecordAttemptAsync(key, attempt);

        var reopened = new SqliteTlsRptStore(path);
        Assert.Equal(Prelude.Seq1(attempt), await reopened.AttemptsAsync(key));
        Assert.Equal(new ReportStatus(key, ReportState.Retrying, 1, at, at.AddMinutes(5), attempt.Detail), Assert.Single(await reopened.ReportsAsync(key.Day)));
    }

    [Fact]
    public async Task CorruptFile_IsReported_AndTheStoreKeepsWorkingInMemory()
    {
        var path = File("corrupt.db");
        await System.IO.File.WriteAllBytesAsync(path, [.. System.Text.Encoding.ASCII.GetBytes("this is not a database "), .. new byte[4096]]);

        var store = new SqliteTlsRptStore(path);
        await store.RecordAsync(Sessions.Ok(Sessions.Sts));

        Assert.Contains("SQLite error 26", store.Problem, StringComparison.Ordinal);
        Assert.True((await store.GetAsync("company-y.example", new DateOnly(2016, 4, 1))).IsSome);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
