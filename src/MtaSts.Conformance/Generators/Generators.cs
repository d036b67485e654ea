using FsCheck;
using FsCheck.Fluent;
using LanguageExt;

namespace MtaSts.Conformance.Generators;

/// <summary>
/// Constructive generators: they build valid model values piece by piece within the RFC 5321 /
/// RFC 1035 / RFC 8461 limits; they never filter random strings through the parser.
/// </summary>
internal static class Generators
{
    private const string Alpha = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private const string Digits = "0123456789";
    private const string AlphaNum = Alpha + Digits;

    /// <summary>Characters of <c>sts-ext-value</c>: %x21-3A / %x3C / %x3E-7E.</summary>
    private static readonly char[] RecordExtValueChars =
        Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(static i => (char)i).Where(static c => c is not ('=' or ';')).ToArray();

    /// <summary>Single-unit <c>sts-policy-vchar</c> samples: ASCII, UTF8-2 (incl. a C1 control, F-08), UTF8-3.</summary>
    private static readonly string[] PolicyVchars =
        [.. Enumerable.Range(0x21, 0x7E - 0x21 + 1).Select(static i => ((char)i).ToString()), "é", "ß", "\u0085", "日", "本", "\uFEFF", "😀", "𝄞"];

    public static Gen<char> Chars(string set) => Gen.Elements(set.ToCharArray());

    public static Gen<string> StringOf(Gen<char> element, int min, int max) =>
        from n in Gen.Choose(min, max)
        from cs in Gen.ArrayOf(element, n)
        select new string(cs);

    /// <summary>An LDH label of 1–63 octets (RFC 5321 sub-domain), short ones far more often.</summary>
    public static Gen<string> Label(bool mustStartWithLetter = false) =>
        from length in Gen.Frequency((8, Gen.Choose(1, 8)), (2, Gen.Choose(9, 62)), (1, Gen.Constant(63)))
        from first in Chars(mustStartWithLetter ? Alpha : AlphaNum)
        from middle in Gen.ArrayOf(Chars(AlphaNum + "-"), Math.Max(0, length - 2))
        from last in Chars(AlphaNum)
        select length == 1 ? first.ToString() : first + new string(middle) + last;

    /// <summary>A D-06 domain: 1–4 labels, the right-most starting with a letter (never all digits), at most 253 octets.</summary>
    public static Gen<string> Domain =>
        from count in Gen.Choose(1, 4)
        from inner in Gen.ArrayOf(Label(), count - 1)
        from last in Label(mustStartWithLetter: true)
        let name = string.Join(".", inner.Append(last))
        select name.Length <= 253 ? name : last;

    public static Gen<MxPattern> MxPattern =>
        from wildcard in Gen.Frequency((3, Gen.Constant(false)), (1, Gen.Constant(true)))
        from domain in Domain
        select Right(MtaSts.Functional.MxPattern.Parse((wildcard ? "*." : string.Empty) + domain));

    public static Gen<PolicyId> PolicyId =>
        from id in StringOf(Chars(AlphaNum), 1, 32)
        select Right(MtaSts.Functional.PolicyId.Create(id));

    public static Gen<string> RecordExtName =>
        from first in Chars(AlphaNum)
        from rest in StringOf(Chars(AlphaNum + "_-."), 0, 31)
        let name = first + rest
        select name is "v" or "id" ? name + "x" : name;

    public static Gen<Extension> RecordExtension =>
        from name in RecordExtName
        from value in StringOf(Gen.Elements(RecordExtValueChars), 1, 20)
        select new Extension(name, value);

    public static Gen<StsRecord> StsRecord =>
        from id in PolicyId
        from n in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from exts in Gen.ArrayOf(RecordExtension, n)
        select Right(MtaSts.Functional.StsRecord.Create(id, exts));

    public static Gen<string> PolicyExtName =>
        from first in Chars(AlphaNum)
        from rest in StringOf(Chars(AlphaNum + "_-."), 0, 31)
        let name = first + rest
        select name is "version" or "mode" or "mx" or "max_age" ? name + "x" : name;

    /// <summary><c>sts-policy-ext-value</c>: vchars with inner runs of spaces, never at the ends.</summary>
    public static Gen<string> PolicyExtValue =>
        from first in Gen.Elements(PolicyVchars)
        from middle in Gen.ListOf(Gen.Frequency((6, Gen.Elements(PolicyVchars)), (1, Gen.Elements(" ", "  "))))
        from last in Gen.Elements(PolicyVchars)
        select middle.Count == 0 ? first : first + string.Concat(middle) + last;

    public static Gen<Extension> PolicyExtension =>
        from name in PolicyExtName
        from value in PolicyExtValue
        select new Extension(name, value);

    public static Gen<MaxAge> MaxAge =>
        from seconds in Gen.Frequency(
            (4, Gen.Choose(0, 31_557_600)),
            (1, Gen.Elements(0, 1, 86_400, 604_800, 31_557_599, 31_557_600)))
        select Right(MtaSts.Functional.MaxAge.Create(seconds));

    public static Gen<PolicyMode> Mode => Gen.Elements(PolicyMode.Enforce, PolicyMode.Testing, PolicyMode.None);

    public static Gen<Policy> Policy =>
        from mode in Mode
        from mxCount in Gen.Choose(mode == PolicyMode.None ? 0 : 1, 5)
        from mx in Gen.ArrayOf(MxPattern, mxCount)
        from maxAge in MaxAge
        from extCount in Gen.Frequency((3, Gen.Constant(0)), (2, Gen.Choose(1, 3)))
        from exts in Gen.ArrayOf(PolicyExtension, extCount)
        select Right(MtaSts.Functional.Policy.Create(mode, mx, maxAge, exts));

    /// <summary>The right side of an Either the generator built to be valid; a Left is a generator bug.</summary>
    public static T Right<T>(Either<MtaStsError, T> value) =>
        value.Match(Right: static v => v, Left: static e => throw new InvalidOperationException($"generator built an invalid value: {e}"));
}
