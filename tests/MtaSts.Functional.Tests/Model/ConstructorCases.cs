using LanguageExt;

namespace MtaSts.Functional.Tests.ModelTests;

/// <summary>Bad values handed to the constructors, each with the error it must give.</summary>
public static class ConstructorCases
{
    private static readonly MaxAge Day = MaxAge.Create(86400).IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly PolicyId Id = PolicyId.Create("a").IfLeft(static e => throw new InvalidOperationException(e.Render()));
    private static readonly MxPattern Mx = MxPattern.Parse("mail.example").IfLeft(static e => throw new InvalidOperationException(e.Render()));

    public static readonly Dictionary<string, Func<MtaStsError?>> Cases = new()
    {
        ["domain-empty-label"] = static () => Left(DomainName.Parse("a..example")),
        ["domain-null"] = static () => Left(DomainName.Parse(null)),
        ["id-hyphen"] = static () => Left(PolicyId.Create("a-b")),
        ["id-null"] = static () => Left(PolicyId.Create(null)),
        ["mx-double-wildcard"] = static () => Left(MxPattern.Parse("*.*.example")),
        ["max-age-negative"] = static () => Left(MaxAge.Create(-1)),
        ["max-age-over"] = static () => Left(MaxAge.Create(MaxAge.MaximumSeconds + 1)),
        ["policy-registered-ext"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("mx", "x")])),
        ["policy-version-ext"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("version", "STSv1")])),
        ["policy-bad-ext-name"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("-x", "v")])),
        ["policy-bad-ext-value"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("x", "a\u0001")])),
        ["record-registered-ext"] = static () => Left(StsRecord.Create(Id, [new Extension("v", "STSv1")])),
        ["record-bad-ext-name"] = static () => Left(StsRecord.Create(Id, [new Extension("_x", "v")])),
        ["domain-trailing-junk"] = static () => Left(DomainName.Parse("a.example!")),
        ["mx-trailing-junk"] = static () => Left(MxPattern.Parse("a.example!")),
        ["mx-star-only"] = static () => Left(MxPattern.Parse("*")),
        ["policy-ext-name-junk"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("x!", "v")])),
        ["policy-ext-value-tab"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("x", "a\tb")])),
        ["policy-ext-value-trailing-space"] = static () => Left(Policy.Create(PolicyMode.Enforce, [Mx], Day, [new Extension("x", "a ")])),
        ["record-ext-name-junk"] = static () => Left(StsRecord.Create(Id, [new Extension("x!", "v")])),
        ["record-bad-ext-value"] = static () => Left(StsRecord.Create(Id, [new Extension("x", "a;b")])),
    };

    private static MtaStsError? Left<T>(Either<MtaStsError, T> result) => result.Case as MtaStsError;
}
