// RFC 5234 Appendix B.1, the core rules RFC 8461 uses (verbatim, in the RFC's order):
//
//   ALPHA          =  %x41-5A / %x61-7A   ; A-Z / a-z
//   CR             =  %x0D
//                          ; carriage return
//   CRLF           =  CR LF
//                          ; Internet standard newline
//   DIGIT          =  %x30-39
//                          ; 0-9
//   HTAB           =  %x09
//                          ; horizontal tab
//   LF             =  %x0A
//                          ; linefeed
//   SP             =  %x20
//   WSP            =  SP / HTAB
//                          ; white space
using Pidgin;
using static MtaSts.Functional.Syntax.CharClass;
using PUnit = Pidgin.Unit;

namespace MtaSts.Functional.Syntax;

/// <summary>
/// RFC 5234 Appendix B.1 core rules, as far as RFC 8461 uses them, in the RFC's order. Each
/// single-character rule is a <see cref="CharClass"/> named after the rule (a parser of one character
/// and a class the scanners and the host-name check read), so every grammar that imports it expects
/// it by its name.
/// </summary>
internal static class CoreRules
{
    /// <summary><c>ALPHA = %x41-5A / %x61-7A ; A-Z / a-z</c> (RFC 5234 App. B.1).</summary>
    public static readonly CharClass Alpha = (Range('A', 'Z') | Range('a', 'z')).Named(RuleNames.Alpha);

    /// <summary><c>CR = %x0D ; carriage return</c> (RFC 5234 App. B.1).</summary>
    public static readonly CharClass Cr = Of('\r').Named(RuleNames.Cr);

    /// <summary><c>CRLF = CR LF ; Internet standard newline</c> (RFC 5234 App. B.1).</summary>
    public static readonly Parser<char, string> Crlf = Cr.Then(Abnf.Ref(static () => Lf)).Text().Rule(RuleNames.Crlf);

    /// <summary><c>DIGIT = %x30-39 ; 0-9</c> (RFC 5234 App. B.1).</summary>
    /// <remarks>ASCII only: not <c>char.IsDigit</c>, which accepts other scripts' digits.</remarks>
    public static readonly CharClass Digit = Range('0', '9').Named(RuleNames.Digit);

    /// <summary><c>HTAB = %x09 ; horizontal tab</c> (RFC 5234 App. B.1).</summary>
    public static readonly CharClass Htab = Of('\t').Named(RuleNames.Htab);

    /// <summary><c>LF = %x0A ; linefeed</c> (RFC 5234 App. B.1).</summary>
    public static readonly CharClass Lf = Of('\n').Named(RuleNames.Lf);

    /// <summary><c>SP = %x20</c> (RFC 5234 App. B.1).</summary>
    public static readonly CharClass Sp = Of(' ').Named(RuleNames.Sp);

    /// <summary><c>WSP = SP / HTAB ; white space</c> (RFC 5234 App. B.1).</summary>
    public static readonly CharClass Wsp = (Sp | Htab).Named(RuleNames.Wsp);

    /// <summary><c>ALPHA / DIGIT</c>, the class RFC 8461 and RFC 5321 use for names and ids.</summary>
    public static readonly CharClass AlphaDigit = Alpha | Digit;

    /// <summary>
    /// <c>LF / CRLF</c>, the line end RFC 8461 §3.2 writes as <c>sts-policy-term</c> (D-05: both, mixable).
    /// </summary>
    /// <remarks>
    /// Not a rule of RFC 5234, but built from its <c>LF</c> and <c>CRLF</c>, with the one line splitter
    /// (<see cref="Lines.EndAt"/>) that positions, lint and lenient repair also use. Read in one look at
    /// the next two characters, with the outcome of <c>OneOf(LF, CRLF)</c>: a bare CR is consumed and
    /// fails in <c>CRLF</c>, expecting <c>LF</c>; anything else fails without consuming.
    /// </remarks>
    public static readonly Parser<char, PUnit> LfOrCrlf = new LineEndParser();

    private sealed class LineEndParser : Parser<char, PUnit>
    {
        private static readonly Expected<char> CrlfInProgress = Blame.InProgress(RuleNames.Crlf);
        private static readonly Expected<char> ExpectLf = new(RuleNames.Lf);
        private static readonly Expected<char> ExpectCrlf = new(RuleNames.Crlf);

        public override bool TryParse(ref ParseState<char> state, ref PooledList<Expected<char>> expecteds, out PUnit result)
        {
            result = PUnit.Value;
            var end = Lines.EndAt(state.LookAhead(2), 0);
            state.Advance(Lines.TerminatorLength(end));
            switch (end)
            {
                case LineEnd.Lf or LineEnd.Crlf:
                    return true;
                case LineEnd.BareCr:
                    Blame.Fail(ref state, state.Location);
                    expecteds.Add(CrlfInProgress);
                    expecteds.Add(ExpectLf);
                    return false;
                default:
                    Blame.Fail(ref state, state.Location);
                    expecteds.Add(ExpectLf);
                    expecteds.Add(ExpectCrlf);
                    return false;
            }
        }
    }
}
