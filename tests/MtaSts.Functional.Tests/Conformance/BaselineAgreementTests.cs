using MtaSts.Functional.Benchmarks.Baseline;

namespace MtaSts.Functional.Tests.Conformance;

/// <summary>
/// The benchmark baseline (a hand-written span parser) reads the public corpus exactly as the real
/// parser does, so the Ratio column of the benchmarks compares like with like.
/// </summary>
public class BaselineAgreementTests
{
    public static TheoryData<string> RecordIds => Corpus.Ids("record.json");

    public static TheoryData<string> PolicyIds => Corpus.Ids("policy.json");

    [Theory]
    [MemberData(nameof(RecordIds))]
    public void HandwrittenRecordParser_AgreesWithTheGrammar(string id)
    {
        var input = Corpus.Vector("record.json", id).GetProperty("input").GetString()!;

        var expected = StsRecord.Parse(input).RightToSeq().FirstOrDefault();

        Assert.Equal(expected, HandwrittenParser.ParseRecord(input));
    }

    [Theory]
    [MemberData(nameof(PolicyIds))]
    public void HandwrittenPolicyParser_AgreesWithTheGrammar(string id)
    {
        var input = Corpus.PolicyInput(Corpus.Vector("policy.json", id));
        if (input is null)
        {
            return; // not UTF-8: neither parser can be given these bytes as a string
        }

        var expected = Policy.Parse(input).RightToSeq().FirstOrDefault();

        Assert.Equal(expected, HandwrittenParser.ParsePolicy(input));
    }
}
