using System.Diagnostics;
using System.Text;
using LanguageExt;

namespace MtaSts.Functional;

/// <summary>Why a TXT record set yielded no usable record (RFC 8461 §3.1, D-11).</summary>
public enum UnusableRecordReason
{
    /// <summary>No TXT record that is an MTA-STS record at all.</summary>
    None,

    /// <summary>More than one record begins with <c>v=STSv1;</c>.</summary>
    Several,

    /// <summary>The one remaining record is syntactically invalid.</summary>
    Invalid,
}

/// <summary>
/// Everything that can be wrong with an MTA-STS input, as a closed union: match it with an
/// exhaustive <c>switch</c>. <see cref="Render"/> (and <see cref="ToString"/>) give a human text.
/// </summary>
public abstract record MtaStsError
{
    private MtaStsError()
    {
    }

    /// <summary>All individual errors: the cases of <see cref="Several"/>, or this error alone.</summary>
    public Seq<MtaStsError> All => this is Several s ? s.Errors.Bind(static e => e.All) : Prelude.Seq1(this);

    /// <summary>
    /// A stable machine code for the kind of error, the same for every instance of a case:
    /// <c>syntax</c>, <c>missing-field</c>, <c>mx-required</c>, <c>too-large</c>, <c>invalid-value</c>,
    /// <c>address-literal</c>, <c>no-usable-record</c> or <c>several</c>. Tools key on it, never on <see cref="Render"/>.
    /// </summary>
    public abstract string Code { get; }

    /// <summary>A human rendering that points at the spot where there is one.</summary>
    public abstract string Render();

    /// <inheritdoc cref="Render"/>
    public sealed override string ToString() => Render();

    /// <summary>Text safe to print: control characters (other than TAB) become U+FFFD.</summary>
    private static string Printable(string line)
    {
        var sb = new StringBuilder(line.Length);
        foreach (var c in line)
        {
            sb.Append(c == '\t' || !char.IsControl(c) ? c : '\uFFFD');
        }

        return sb.ToString();
    }

    /// <summary>Combines errors: one stays itself, several become <see cref="Several"/>.</summary>
    internal static MtaStsError Of(Seq<MtaStsError> errors) => errors.Count == 1 ? errors.Head : new Several(errors);

    /// <summary>The input does not match the grammar (RFC 8461 §3.1 / §3.2 ABNF).</summary>
    /// <param name="Line">1-based line of the error in the original input.</param>
    /// <param name="Column">1-based column (UTF-16 code units) in that line.</param>
    /// <param name="Rule">The ABNF name of the innermost rule that failed, e.g. <c>sts-policy-mx-value</c>.</param>
    /// <param name="Expected">What would have been accepted there (rule names and literals).</param>
    /// <param name="Found">What is there instead, quoted, or <c>end of input</c>.</param>
    /// <param name="Message">Extra detail for a limit that the ABNF alone does not state (D-06), or null.</param>
    /// <param name="SourceLine">The text of the offending line, for pointing at the spot.</param>
    public sealed record Syntax(int Line, int Column, string Rule, Seq<string> Expected, string Found, string? Message, string SourceLine) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "syntax";

        /// <inheritdoc/>
        public override string Render()
        {
            var what = Message ?? $"expected {Describe(Expected)}, found {Found}";
            var caret = new StringBuilder();
            for (var i = 0; i < Column - 1 && i < SourceLine.Length; i++)
            {
                caret.Append(SourceLine[i] == '\t' ? '\t' : ' ');
            }

            return $"{Line}:{Column}: error[{Rule}]: {what}\n  {Printable(SourceLine)}\n  {caret}^";
        }

        private static string Describe(Seq<string> expected) => expected.Count switch
        {
            0 => "something else",
            1 => expected.Head,
            _ => string.Join(", ", expected.Take(expected.Count - 1)) + " or " + expected.Last,
        };

    }

    /// <summary>A required field is absent (RFC 8461 §3.1 <c>id</c>; §3.2 <c>version</c>, <c>mode</c>, <c>max_age</c>; D-07).</summary>
    /// <param name="Field">The field's name, e.g. <c>max_age</c>.</param>
    public sealed record MissingField(string Field) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "missing-field";

        /// <inheritdoc/>
        public override string Render() => $"error[{Code}]: the required field '{Field}' is missing";
    }

    /// <summary>A policy whose mode is not <c>none</c> has no <c>mx</c> field (RFC 8461 §3.2, D-07).</summary>
    /// <param name="Mode">The policy's mode.</param>
    public sealed record MxRequired(PolicyMode Mode) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "mx-required";

        /// <inheritdoc/>
        public override string Render() => $"error[{Code}]: a policy in mode '{Mode.ToKeyword()}' needs at least one 'mx' field";
    }

    /// <summary>The input is over the size limit (RFC 8461 §3.3, D-12), refused before parsing.</summary>
    /// <param name="Bytes">The input's size in UTF-8 bytes.</param>
    /// <param name="Limit">The limit in bytes.</param>
    public sealed record TooLarge(long Bytes, long Limit) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "too-large";

        /// <inheritdoc/>
        public override string Render() => $"error[{Code}]: the policy is {Bytes} bytes; the limit is {Limit} bytes (D-12)";
    }

    /// <summary>A value given to a constructor (<c>Create</c>, <c>Parse</c> of a value type) is not valid.</summary>
    /// <param name="What">Which value, e.g. <c>id</c> or <c>extension name</c>.</param>
    /// <param name="Value">The offending value.</param>
    /// <param name="Reason">Why it is not valid.</param>
    public sealed record InvalidValue(string What, string Value, string Reason) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "invalid-value";

        /// <inheritdoc/>
        public override string Render() => $"error[{Code}]: {What} '{Printable(Value)}': {Reason}";
    }

    /// <summary>An address literal (<c>[192.0.2.1]</c>) or bare IP address where a domain is needed: MTA-STS does not apply (RFC 8461 §3.4, M-07).</summary>
    /// <param name="Text">The text given.</param>
    public sealed record AddressLiteral(string Text) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "address-literal";

        /// <inheritdoc/>
        public override string Render() => $"error[{Code}]: '{Printable(Text)}' is an address, not a domain: MTA-STS does not apply to address literals (RFC 8461 §3.4)";
    }

    /// <summary>
    /// The <c>_mta-sts</c> TXT record set gives no usable record (RFC 8461 §3.1, D-10, D-11): the
    /// sender must act as if the domain had no available policy (a cached one still applies, C-02).
    /// </summary>
    /// <param name="Reason">None, several, or one invalid record.</param>
    /// <param name="Candidates">How many records were left after the <c>v=STSv1;</c> filter.</param>
    /// <param name="Cause">For <see cref="UnusableRecordReason.Invalid"/>, why the record is invalid.</param>
    public sealed record NoUsableRecord(UnusableRecordReason Reason, int Candidates, Option<MtaStsError> Cause) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "no-usable-record";

        /// <inheritdoc/>
        public override string Render() => Reason switch
        {
            UnusableRecordReason.None => $"error[{Code}]: no MTA-STS TXT record",
            UnusableRecordReason.Several => $"error[{Code}]: {Candidates} TXT records begin with 'v=STSv1;'; exactly one is required",
            UnusableRecordReason.Invalid => $"error[{Code}]: the MTA-STS TXT record is invalid:\n" + Cause.Match(static c => c.Render(), static () => "(no detail)"),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>
    /// The <c>_smtp._tls</c> TXT record set gives no usable TLSRPT record (RFC 8460 §3, T-06): the sender
    /// MUST assume the recipient domain does not implement TLSRPT.
    /// </summary>
    /// <param name="Reason">None, several, or one invalid record.</param>
    /// <param name="Candidates">How many records were left after the <c>v=TLSRPTv1;</c> filter.</param>
    /// <param name="Cause">For <see cref="UnusableRecordReason.Invalid"/>, why the record is invalid.</param>
    public sealed record NoTlsRptRecord(UnusableRecordReason Reason, int Candidates, Option<MtaStsError> Cause) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "no-tlsrpt-record";

        /// <inheritdoc/>
        public override string Render() => Reason switch
        {
            UnusableRecordReason.None => $"error[{Code}]: no TLSRPT TXT record",
            UnusableRecordReason.Several => $"error[{Code}]: {Candidates} TXT records begin with 'v=TLSRPTv1;'; exactly one is required",
            UnusableRecordReason.Invalid => $"error[{Code}]: the TLSRPT TXT record is invalid:\n" + Cause.Match(static c => c.Render(), static () => "(no detail)"),
            _ => throw new UnreachableException(),
        };
    }

    /// <summary>Several independent problems, all reported (the semantic pass gathers every violation).</summary>
    /// <param name="Errors">The problems, in input order.</param>
    public sealed record Several(Seq<MtaStsError> Errors) : MtaStsError
    {
        /// <inheritdoc/>
        public override string Code => "several";

        /// <inheritdoc/>
        public override string Render() => string.Join("\n", Errors.Map(static e => e.Render()));
    }
}
