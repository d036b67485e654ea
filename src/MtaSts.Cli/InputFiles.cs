using System.Text;
using LanguageExt;

namespace MtaSts.Cli;

/// <summary>
/// Reads a policy or record file (or standard input for <c>-</c>): at most 1 MiB is read, binary
/// data and invalid UTF-8 are refused with the offset, every I/O problem is one clear line.
/// </summary>
internal static class InputFiles
{
    /// <summary>The most the tool reads from one input (16 times the largest policy, D-12).</summary>
    public const int MaxBytes = 1 << 20;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The most <c>scan</c> reads from a list of domains.</summary>
    public const int MaxListBytes = 64 << 20;

    public static Either<CliFailure, (string Name, string Text)> Read(string path, CliConsole console, int maxBytes = MaxBytes)
    {
        var name = path == "-" ? "<stdin>" : path;
        if (path != "-" && Directory.Exists(path))
        {
            return new CliFailure(ExitCodes.Usage, $"{name}: is a directory, not a file");
        }

        byte[] bytes;
        try
        {
            using var stream = path == "-" ? console.OpenStdin() : File.OpenRead(path);
            bytes = ReadAtMost(stream, maxBytes + 1);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new CliFailure(ExitCodes.Usage, $"{name}: no such file");
        }
        catch (UnauthorizedAccessException)
        {
            return new CliFailure(ExitCodes.Usage, $"{name}: permission denied");
        }
        catch (IOException e)
        {
            return new CliFailure(ExitCodes.Usage, $"{name}: cannot read: {e.Message}");
        }

        return Decode(name, bytes, maxBytes);
    }

    internal static Either<CliFailure, (string Name, string Text)> Decode(string name, byte[] bytes, int maxBytes = MaxBytes)
    {
        if (bytes.Length > maxBytes)
        {
            return new CliFailure(ExitCodes.Invalid, maxBytes == MaxBytes
                ? $"{name}: more than {MaxBytes} bytes; a policy is at most 65536 bytes (RFC 8461 §3.3, D-12)"
                : $"{name}: more than {maxBytes} bytes");
        }

        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
        {
            return new CliFailure(ExitCodes.Invalid, $"{name}: binary data (a NUL byte at offset {nul}), not a policy or a TXT record");
        }

        try
        {
            return (name, StrictUtf8.GetString(bytes));
        }
        catch (DecoderFallbackException e)
        {
            return new CliFailure(ExitCodes.Invalid, $"{name}: not UTF-8 text (invalid byte at offset {Math.Max(0, e.Index)})");
        }
    }

    private static byte[] ReadAtMost(Stream stream, int limit)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while (buffer.Length < limit && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, limit - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A record file's text without the line end that closes the file (not part of the record).</summary>
    public static string RecordText(string text) =>
        text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;

    /// <summary>A TXT record (it starts with <c>v=STSv1</c>) rather than a policy file.</summary>
    public static bool LooksLikeRecord(string text) => text.TrimStart().StartsWith("v=STSv1", StringComparison.Ordinal);

    /// <summary>A TLSRPT TXT record (it starts with <c>v=TLSRPTv1</c>, any case, so that a wrong-case version is linted as one; RFC 8460 §3).</summary>
    public static bool LooksLikeTlsRpt(string text) => text.TrimStart().StartsWith("v=TLSRPTv1", StringComparison.OrdinalIgnoreCase);
}
