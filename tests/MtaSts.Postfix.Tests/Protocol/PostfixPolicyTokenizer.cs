namespace MtaSts.Postfix.Tests.Protocol;

/// <summary>
/// A test model of how Postfix (≥ 3.10, <c>src/smtp/smtp_tls_policy.c</c> <c>tls_policy_lookup_one</c>) cuts a
/// TLS policy table value into a security level and <c>name=value</c> attributes, written after its C
/// source: <c>mystrtokq(&amp;policy, CHARS_COMMA_SP, CHARS_BRACE)</c> (<c>util/mystrtok.c</c>), then for a
/// token that starts with <c>{</c> <c>extpar(&amp;tok, "{}", EXTPAR_FLAG_STRIP | EXTPAR_FLAG_NORMAL_WS)</c>
/// (<c>util/extpar.c</c>, <c>util/balpar.c</c>), then <c>split_nameval</c> (<c>util/split_nameval.c</c>).
/// Only the tokenizing is modelled, not the meaning of the attributes.
/// </summary>
internal static class PostfixPolicyTokenizer
{
    private const string Separators = ", \t\r\n";   // CHARS_COMMA_SP

    /// <summary>The level and the attributes, or the warning Postfix would log before it marks the policy invalid.</summary>
    public static (string? Level, IReadOnlyList<(string Name, string Value)> Attributes, string? Error) Tokenize(string value)
    {
        var position = 0;
        var level = NextToken(value, ref position);
        if (level is null)
        {
            return (null, [], "invalid empty policy");
        }

        var attributes = new List<(string, string)>();
        while (NextToken(value, ref position) is { } token)
        {
            var text = token;
            if (text[0] == '{')
            {
                var (inner, error) = ExtPar(text);
                if (error is not null)
                {
                    return (level, attributes, error);
                }

                text = inner;
            }

            var pair = SplitNameValue(text);
            if (pair.Error is not null)
            {
                return (level, attributes, pair.Error);
            }

            attributes.Add((pair.Name, pair.Value));
        }

        return (level, attributes, null);
    }

    // mystrtokq_cw: skip separators; a token runs to the next separator outside braces (a '}' only closes
    // when one is open).
    private static string? NextToken(string text, ref int position)
    {
        while (position < text.Length && Separators.Contains(text[position], StringComparison.Ordinal))
        {
            position++;
        }

        if (position == text.Length)
        {
            return null;
        }

        var start = position;
        var depth = 0;
        for (; position < text.Length; position++)
        {
            var c = text[position];
            if (c == '{')
            {
                depth++;
            }
            else if (depth > 0 && c == '}')
            {
                depth--;
            }
            else if (depth == 0 && Separators.Contains(c, StringComparison.Ordinal))
            {
                var token = text[start..position];
                position++;
                return token;
            }
        }

        return text[start..];
    }

    // extpar with EXTPAR_FLAG_STRIP | EXTPAR_FLAG_NORMAL_WS; balpar gives the length up to the brace that
    // closes the first one.
    private static (string Inner, string? Error) ExtPar(string token)
    {
        var length = BalPar(token);
        if (length == 0)
        {
            return (string.Empty, $"missing '}}' in \"{token}\"");
        }

        if (length != token.Length)
        {
            return (string.Empty, $"syntax error after '}}' in \"{token}\"");
        }

        var inner = token[1..(length - 1)].Trim(' ', '\t', '\r', '\n', '\v', '\f');
        return (new string([.. inner.Select(static c => c is '\t' or '\r' or '\n' or '\v' or '\f' ? ' ' : c)]), null);
    }

    private static int BalPar(string text)
    {
        var depth = 1;
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] == '}' && --depth == 0)
            {
                return i + 1;
            }

            if (text[i] == '{')
            {
                depth++;
            }
        }

        return 0;
    }

    private static (string Name, string Value, string? Error) SplitNameValue(string text)
    {
        var i = 0;
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        if (i == text.Length || text[i] == '=')
        {
            return (string.Empty, string.Empty, "missing attribute name");
        }

        var nameStart = i;
        while (i < text.Length && !IsSpace(text[i]) && text[i] != '=')
        {
            i++;
        }

        var name = text[nameStart..i];
        while (i < text.Length && IsSpace(text[i]))
        {
            i++;
        }

        if (i == text.Length || text[i] != '=')
        {
            return (string.Empty, string.Empty, "missing '=' after attribute name");
        }

        var value = text[(i + 1)..].Trim(' ', '\t', '\r', '\n', '\v', '\f');
        return (name, value, null);
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n' or '\v' or '\f';
}
