using System.Text;
using System.Text.Json.Nodes;
using LanguageExt;
using MtaSts.Functional.Tooling;
using Spectre.Console;

namespace MtaSts.Cli;

/// <summary><c>lint</c>, <c>explain</c> and <c>evaluate</c>: pure work on files, no network.</summary>
internal static class FileCommands
{
    public static int Lint(CliConsole console, string path, bool record, bool lenient, bool json)
    {
        var opened = Open(console, path, record);
        if (opened.IsLeft)
        {
            return (int)opened;
        }

        var (name, text, isRecord) = ((string, string, bool))opened;

        var mode = lenient ? ParseMode.Lenient : ParseMode.Strict;
        var tlsrpt = isRecord && InputFiles.LooksLikeTlsRpt(text);
        var report = tlsrpt ? MtaSts.Functional.Tooling.Lint.TlsRptRecord(text, mode)
            : isRecord ? MtaSts.Functional.Tooling.Lint.Record(text, mode) : MtaSts.Functional.Tooling.Lint.Policy(text, mode);
        if (json)
        {
            console.Out.WriteLine(Json.Line(new JsonObject
            {
                ["file"] = name,
                ["kind"] = tlsrpt ? "tlsrpt-record" : isRecord ? "record" : "policy",
                ["mode"] = lenient ? "lenient" : "strict",
                ["valid"] = report.IsValid,
                ["errors"] = new JsonArray([.. report.Errors.Map(Json.Error)]),
                ["warnings"] = new JsonArray([.. report.Warnings.Map(Json.Warning)]),
                ["hints"] = new JsonArray([.. report.Hints.Map(Json.Hint)]),
            }));
        }
        else
        {
            var diagnostics = new StringBuilder();
            foreach (var error in report.Errors)
            {
                diagnostics.Append(Diagnostic(name, error));
            }

            foreach (var warning in report.Warnings)
            {
                diagnostics.Append(name).Append(':').Append(warning).Append('\n');
            }

            // Hints not already shown under their error (lines that have no effect, D-03).
            var shown = report.Errors.Map(static e => MtaSts.Functional.Tooling.Lint.Hint(e)).ToList();
            foreach (var hint in report.Hints.Filter(h => !shown.Contains(h)))
            {
                diagnostics.Append($"{name}:{hint.Line}:{hint.Column}: hint[{hint.Rule}]: {hint.Text}\n");
            }

            diagnostics.Append(report.IsValid
                ? $"{name}: valid {(tlsrpt ? "TLSRPT record" : isRecord ? "TXT record" : "policy")} ({(lenient ? "lenient" : "strict")}), {report.Warnings.Count} warning(s)\n"
                : $"{name}: {report.Errors.Count} error(s), {report.Warnings.Count} warning(s)\n");
            Write(console, diagnostics.ToString());
        }

        return report.IsValid ? ExitCodes.Ok : ExitCodes.Invalid;
    }

    public static int Explain(CliConsole console, string path, bool record, bool lenient, bool json)
    {
        var opened = Open(console, path, record);
        if (opened.IsLeft)
        {
            return (int)opened;
        }

        var (name, text, isRecord) = ((string, string, bool))opened;

        var mode = lenient ? ParseMode.Lenient : ParseMode.Strict;
        var tlsrpt = isRecord && InputFiles.LooksLikeTlsRpt(text);
        var explanation = tlsrpt ? MtaSts.Functional.Tooling.Explain.TlsRptRecord(text, mode)
            : isRecord ? MtaSts.Functional.Tooling.Explain.Record(text, mode) : MtaSts.Functional.Tooling.Explain.Policy(text, mode);
        if (explanation.IsLeft)
        {
            var error = (MtaStsError)explanation;
            if (json)
            {
                console.Out.WriteLine(Json.Line(new JsonObject { ["file"] = name, ["valid"] = false, ["errors"] = new JsonArray([.. error.All.Map(Json.Error)]) }));
            }
            else
            {
                Write(console, string.Concat(error.All.Map(e => Diagnostic(name, e))) + $"{name}: not valid, nothing to explain (see 'mta-sts lint')\n");
            }

            return ExitCodes.Invalid;
        }

        var (explained, canonicalText) = (Explanation)explanation;
        if (json)
        {
            console.Out.WriteLine(Json.Line(new JsonObject
            {
                ["file"] = name,
                ["kind"] = tlsrpt ? "tlsrpt-record" : isRecord ? "record" : "policy",
                ["valid"] = true,
                ["fields"] = new JsonArray([.. explained.Map(static f => new JsonObject
                {
                    ["line"] = f.Line,
                    ["column"] = f.Column,
                    ["rule"] = f.Rule,
                    ["text"] = f.Text,
                    ["meaning"] = f.Meaning,
                })]),
                ["canonical"] = canonicalText,
            }));
            return ExitCodes.Ok;
        }

        var output = new StringBuilder();
        output.Append(name).Append(": ").Append(tlsrpt ? "an _smtp._tls TXT record (RFC 8460 §3)" : isRecord ? "an _mta-sts TXT record (RFC 8461 §3.1)" : "an MTA-STS policy (RFC 8461 §3.2)").Append('\n');
        foreach (var f in explained)
        {
            output.Append($"  {f.Line}:{f.Column}  {f.Rule,-22} {f.Text}\n");
            output.Append($"  {string.Empty,-26} → {f.Meaning}\n");
        }

        output.Append("canonical form:\n");
        foreach (var line in canonicalText.Split(isRecord ? "\n" : "\r\n", StringSplitOptions.RemoveEmptyEntries))
        {
            output.Append("  ").Append(line).Append('\n');
        }

        console.Out.Write(output.ToString());
        return ExitCodes.Ok;
    }

    public static int Evaluate(CliConsole console, string path, IReadOnlyList<string> mx, TlsOutcome tls, bool json)
    {
        var input = InputFiles.Read(path, console);
        if (input.IsLeft)
        {
            return Fail(console, (CliFailure)input);
        }

        var (name, text) = ((string, string))input;
        var parsed = Policy.Parse(text);
        if (parsed.IsLeft)
        {
            var error = (MtaStsError)parsed;
            if (json)
            {
                console.Out.WriteLine(Json.Line(new JsonObject { ["policy"] = name, ["valid"] = false, ["errors"] = new JsonArray([.. error.All.Map(Json.Error)]) }));
            }
            else
            {
                Write(console, string.Concat(error.All.Map(e => Diagnostic(name, e))) + $"{name}: not a valid policy (see 'mta-sts lint {name}')\n");
            }

            return ExitCodes.Invalid;
        }

        var policy = (Policy)parsed;
        var decisions = mx.Select(host => (Host: host, Decision: Enforcement.Enforce(policy, host, tls))).ToList();
        if (json)
        {
            console.Out.WriteLine(Json.Line(new JsonObject
            {
                ["policy"] = name,
                ["valid"] = true,
                ["mode"] = policy.Mode.ToKeyword(),
                ["tls"] = tls.ToString(),
                ["decisions"] = new JsonArray([.. decisions.Select(static d => Json.Decision(d.Host, d.Decision))]),
            }));
        }
        else
        {
            var output = new StringBuilder($"{name}: mode {policy.Mode.ToKeyword()}, {policy.Mx.Count} mx pattern(s); TLS outcome {tls}\n");
            foreach (var (host, decision) in decisions)
            {
                output.Append($"  {host}: {decision}\n");
            }

            Write(console, output.ToString());
        }

        return decisions.Exists(static d => d.Decision is Decision.Refuse) ? ExitCodes.Invalid : ExitCodes.Ok;
    }

    /// <summary>
    /// Reads the input and decides whether it is a TXT record (<c>--record</c>, or it starts with
    /// <c>v=STSv1</c>); a record file's closing line end is not part of the record. A read failure is
    /// reported here, and the caller returns its code.
    /// </summary>
    private static Either<int, (string Name, string Text, bool IsRecord)> Open(CliConsole console, string path, bool record) =>
        InputFiles.Read(path, console).Match<Either<int, (string, string, bool)>>(
            Right: input =>
            {
                var isRecord = record || InputFiles.LooksLikeRecord(input.Text) || InputFiles.LooksLikeTlsRpt(input.Text);
                return (input.Name, isRecord ? InputFiles.RecordText(input.Text) : input.Text, isRecord);
            },
            Left: failure => Fail(console, failure));

    /// <summary>Compiler style: <c>FILE:LINE:COL: error[rule]: message</c>, the source line, a caret, and a hint where one is obvious.</summary>
    public static string Diagnostic(string name, MtaStsError error)
    {
        var rendered = error is MtaStsError.Syntax ? $"{name}:{error.Render()}" : $"{name}: {error.Render()}";
        var hint = MtaSts.Functional.Tooling.Lint.Hint(error)?.Text;
        return rendered + "\n" + (hint is null ? string.Empty : $"  hint: {hint}\n");
    }

    public static int Fail(CliConsole console, CliFailure failure)
    {
        console.Error.WriteLine($"mta-sts: {failure.Message}");
        return failure.Code;
    }

    /// <summary>Plain text, or the same text with coloured severities on a terminal.</summary>
    public static void Write(CliConsole console, string text)
    {
        if (!console.Rich)
        {
            console.Out.Write(text);
            return;
        }

        var colored = Spectre.Console.Markup.Escape(text)
            .Replace(": error[[", ": [red bold]error[/][[", StringComparison.Ordinal)
            .Replace(": warning[[", ": [yellow]warning[/][[", StringComparison.Ordinal)
            .Replace("  hint: ", "  [cyan]hint:[/] ", StringComparison.Ordinal);
        Spectre.Console.AnsiConsole.Create(new Spectre.Console.AnsiConsoleSettings { Out = new Spectre.Console.AnsiConsoleOutput(console.Out) }).Markup(colored);
    }
}
