using LanguageExt;
using MtaSts.Functional.Syntax;

namespace MtaSts.Functional.Tests.Syntax;

/// <summary>The one-line reason a constructor gives for a syntax error in a single value (<c>Grammar.Reason</c>).</summary>
public class GrammarReasonTests
{
    [Fact]
    public void Reason_WithoutAMessage_SaysColumnExpectationsFoundAndRule()
    {
        var error = new MtaStsError.Syntax(1, 3, "sts-id", Prelude.Seq("ALPHA / DIGIT", "end of input"), "'!'", null, "ab!");

        Assert.Equal("at column 3: expected ALPHA / DIGIT or end of input, found '!' (sts-id)", Grammar.Reason(error));
    }

    [Fact]
    public void Reason_WithAMessage_IsTheMessage()
    {
        var error = new MtaStsError.Syntax(1, 6, "Ldh-str", Seq<string>.Empty, "'-'", "Ldh-str must end with a letter or digit, not '-'", "mail-");

        Assert.Equal("Ldh-str must end with a letter or digit, not '-'", Grammar.Reason(error));
    }
}
