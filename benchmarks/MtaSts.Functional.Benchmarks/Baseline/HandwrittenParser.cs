using System.Text;
using LanguageExt;

namespace MtaSts.Functional.Benchmarks.Baseline;

/// <summary>
/// A reference "how fast can this go" parser: the same strict RFC 8461 §3.1 / §3.2 grammars and the
/// same decisions (D-01..D-13), hand-written over spans, producing the same model values. It exists
/// only to be measured against (benchmarks) and to be checked against the real parser on the public
/// corpus (tests); it is never shipped and reports no positions, only valid (a value) or invalid (null).
/// </summary>
public static class HandwrittenParser
{
    public static StsRecord? ParseRecord(string text)
    {
        ReadOnlySpan<char> s = text;
        if (!s.StartsWith("v=STSv1", StringComparison.Ordinal))
        {
            return null;
        }

        var i = 7;
        string? id = null;
        List<Extension>? extensions = null;
        var fields = 0;
        while (true)
        {
            var j = SkipWsp(s, i);
            if (j == s.Length)
            {
                if (j != i)
                {
                    return null; // WSP that is not part of a delimiter
                }

                break;
            }

            if (s[j] != ';')
            {
                return null;
            }

            j = SkipWsp(s, j + 1);
            if (j == s.Length)
            {
                break; // [sts-field-delim] at the end
            }

            if (s[j..].StartsWith("id=", StringComparison.Ordinal))
            {
                var end = j + 3;
                while (end < s.Length && end - j - 3 < 32 && IsAlnum(s[end]))
                {
                    end++;
                }

                if (end == j + 3 || !RecordFollower(s, end))
                {
                    return null;
                }

                id ??= s[(j + 3)..end].ToString();
                i = end;
            }
            else if (s[j..].StartsWith("v=", StringComparison.Ordinal))
            {
                if (!s[j..].StartsWith("v=STSv1", StringComparison.Ordinal) || !RecordFollower(s, j + 7))
                {
                    return null;
                }

                i = j + 7;
            }
            else
            {
                var nameEnd = Name(s, j);
                if (nameEnd < 0 || nameEnd >= s.Length || s[nameEnd] != '=')
                {
                    return null;
                }

                var end = nameEnd + 1;
                while (end < s.Length && s[end] is (>= '\x21' and <= '\x3A') or '\x3C' or (>= '\x3E' and <= '\x7E'))
                {
                    end++;
                }

                if (end == nameEnd + 1 || !RecordFollower(s, end))
                {
                    return null;
                }

                (extensions ??= []).Add(new Extension(s[j..nameEnd].ToString(), s[(nameEnd + 1)..end].ToString()));
                i = end;
            }

            fields++;
        }

        return fields == 0 || id is null ? null : StsRecord.Trusted(PolicyId.Trusted(id), extensions is null ? Seq<Extension>.Empty : extensions.ToSeq());
    }

    public static Policy? ParsePolicy(string text)
    {
        if (Encoding.UTF8.GetByteCount(text) > Policy.MaxBytes)
        {
            return null;
        }

        ReadOnlySpan<char> s = text;
        var version = false;
        PolicyMode? mode = null;
        long? maxAge = null;
        var mx = new List<MxPattern>();
        List<Extension>? extensions = null;
        var i = 0;
        while (true)
        {
            var nameEnd = Name(s, i);
            if (nameEnd < 0 || nameEnd >= s.Length || s[nameEnd] != ':')
            {
                return null;
            }

            var key = s[i..nameEnd];
            var v = SkipWsp(s, nameEnd + 1);
            int end;
            if (key.SequenceEqual("version"))
            {
                end = v + 5;
                if (!s[v..].StartsWith("STSv1", StringComparison.Ordinal) || !PolicyFollower(s, end))
                {
                    return null;
                }

                version = true;
            }
            else if (key.SequenceEqual("mode"))
            {
                var rest = s[v..];
                var (m, length) = rest.StartsWith("testing", StringComparison.Ordinal) ? (PolicyMode.Testing, 7)
                    : rest.StartsWith("enforce", StringComparison.Ordinal) ? (PolicyMode.Enforce, 7)
                    : rest.StartsWith("none", StringComparison.Ordinal) ? (PolicyMode.None, 4)
                    : ((PolicyMode?)null, 0);
                end = v + length;
                if (m is null || !PolicyFollower(s, end))
                {
                    return null;
                }

                mode ??= m;
            }
            else if (key.SequenceEqual("max_age"))
            {
                long value = 0;
                end = v;
                while (end < s.Length && end - v < 10 && s[end] is >= '0' and <= '9')
                {
                    value = (value * 10) + (s[end] - '0');
                    end++;
                }

                if (end == v || !PolicyFollower(s, end))
                {
                    return null;
                }

                maxAge ??= value;
            }
            else if (key.SequenceEqual("mx"))
            {
                var wildcard = s[v..].StartsWith("*.", StringComparison.Ordinal);
                var start = wildcard ? v + 2 : v;
                end = Domain(s, start);
                if (end < 0 || !PolicyFollower(s, end) || Syntax.DomainGrammar.Limits(s[start..end]).Limit != Syntax.DomainLimit.None)
                {
                    return null;
                }

                var host = DomainName.Trusted(s[start..end].ToString());
                MxPattern pattern = wildcard ? new MxPattern.Wildcard(host) : new MxPattern.Exact(host);
                if (!mx.Contains(pattern))
                {
                    mx.Add(pattern);
                }
            }
            else
            {
                end = ExtValue(s, v);
                if (end < 0)
                {
                    return null;
                }

                (extensions ??= []).Add(new Extension(key.ToString(), s[v..end].ToString()));
            }

            i = SkipWsp(s, end);
            if (i == s.Length)
            {
                break;
            }

            if (s[i] == '\n')
            {
                i++;
            }
            else if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
            {
                i += 2;
            }
            else
            {
                return null;
            }

            if (i == s.Length)
            {
                break; // [sts-policy-term] at the end
            }
        }

        if (!version || mode is null || maxAge is null || (mode != PolicyMode.None && mx.Count == 0))
        {
            return null;
        }

        return Policy.Trusted(mode.Value, mx.ToSeq(), MaxAge.Clamped(maxAge.Value), extensions is null ? Seq<Extension>.Empty : extensions.ToSeq());
    }

    /// <summary>End of an RFC 5321 Domain starting at <paramref name="i"/>, or -1.</summary>
    private static int Domain(ReadOnlySpan<char> s, int i)
    {
        while (true)
        {
            if (i >= s.Length || !IsAlnum(s[i]))
            {
                return -1;
            }

            var j = i + 1;
            while (j < s.Length && (IsAlnum(s[j]) || s[j] == '-'))
            {
                j++;
            }

            if (s[j - 1] == '-')
            {
                return -1;
            }

            if (j < s.Length && s[j] == '.')
            {
                i = j + 1;
                continue;
            }

            return j;
        }
    }

    /// <summary>End of an sts-policy-ext-value starting at <paramref name="i"/> (vchar [*(SP / vchar) vchar]), or -1.</summary>
    private static int ExtValue(ReadOnlySpan<char> s, int i)
    {
        var lastEnd = Vchar(s, i);
        if (lastEnd < 0)
        {
            return -1;
        }

        var j = lastEnd;
        while (j < s.Length)
        {
            if (s[j] == ' ')
            {
                j++;
                continue;
            }

            var next = Vchar(s, j);
            if (next < 0)
            {
                break;
            }

            lastEnd = j = next;
        }

        return PolicyFollower(s, lastEnd) && AllWspThenLineEnd(s, lastEnd) ? lastEnd : -1;
    }

    private static bool AllWspThenLineEnd(ReadOnlySpan<char> s, int i)
    {
        var j = SkipWsp(s, i);
        return j == s.Length || s[j] is '\r' or '\n';
    }

    private static int Vchar(ReadOnlySpan<char> s, int i) =>
        i >= s.Length ? -1
        : s[i] is >= '\x21' and <= '\x7E' ? i + 1
        : s[i] >= '\x80' && !char.IsSurrogate(s[i]) ? i + 1
        : char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? i + 2
        : -1;

    /// <summary>End of an ext name (alnum then up to 31 of alnum, '_', '-', '.'), or -1.</summary>
    private static int Name(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length || !IsAlnum(s[i]))
        {
            return -1;
        }

        var j = i + 1;
        while (j < s.Length && j - i < 32 && (IsAlnum(s[j]) || s[j] is '_' or '-' or '.'))
        {
            j++;
        }

        return j;
    }

    private static int SkipWsp(ReadOnlySpan<char> s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }

        return i;
    }

    private static bool RecordFollower(ReadOnlySpan<char> s, int i) => i == s.Length || s[i] is ' ' or '\t' or ';';

    private static bool PolicyFollower(ReadOnlySpan<char> s, int i) => i == s.Length || s[i] is ' ' or '\t' or '\r' or '\n';

    private static bool IsAlnum(char c) => char.IsAsciiLetterOrDigit(c);
}
