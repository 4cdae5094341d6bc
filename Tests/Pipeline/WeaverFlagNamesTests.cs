using Autodiff.Weaver.Pipeline;
using NUnit.Framework;

namespace Autodiff.Tests.Pipeline;

public sealed class WeaverFlagNamesTests
{
    [Test]
    public void ParsesCommaSeparatedNamesIgnoringCaseAndSpaces()
    {
        Assert.That(WeaverFlagNames.TryParse("PrintAA, printperf,PrintModFinal", out var flags, out var unknown), Is.True);
        Assert.That(flags, Is.EqualTo(WeaverFlags.PrintAA | WeaverFlags.PrintPerf | WeaverFlags.PrintModFinal));
        Assert.That(unknown, Is.Null);
    }

    [Test]
    public void PrintMeansAllThreeAnalysisPrints()
    {
        Assert.That(WeaverFlagNames.TryParse("Print", out var flags, out _), Is.True);
        Assert.That(flags, Is.EqualTo(WeaverFlags.PrintTA | WeaverFlags.PrintAA | WeaverFlags.PrintPerf));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase(" , ")]
    public void NothingMeansNoFlags(string? text)
    {
        Assert.That(WeaverFlagNames.TryParse(text, out var flags, out _), Is.True);
        Assert.That(flags, Is.EqualTo(WeaverFlags.None));
    }

    [Test]
    public void AnUnknownNameIsReturnedAndTheMessageListsTheKnownOnes()
    {
        Assert.That(WeaverFlagNames.TryParse("PrintAA,PrintEverything", out _, out var unknown), Is.False);
        Assert.That(unknown, Is.EqualTo("PrintEverything"));
        Assert.That(WeaverFlagNames.UnknownFlagMessage(unknown!), Does.Contain("'PrintEverything'").And.Contain("PrintModAfterAD"));
    }

    [Test]
    public void NoneIsNotAName() => Assert.That(WeaverFlagNames.All, Does.Not.Contain("None"));
}
