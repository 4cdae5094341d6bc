using System.Linq;
using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>How operations find their entry in the rule table.</summary>
public sealed class RuleTableTests
{
    private static Instruction LastCall(IrMethod method) => method.Entry.Instructions.Last(i => i.Opcode == Opcode.Call);

    [TestCase("System.Math", "Sin")]
    [TestCase("System.MathF", "Sin")]
    [TestCase("System.Double", "Sin")]
    [TestCase("System.Single", "Sin")]
    public void ScalarFunctionsAreFoundByNameAndArityOnEveryMathType(string type, string name)
    {
        var valueType = type.EndsWith("F") || type == "System.Single" ? Primals.Types.Single : Primals.Types.Double;
        var primal = Primals.Unary(valueType, (b, x) => Primals.Call(b, type, name, x));
        Assert.That(DerivativeRules.Find(LastCall(primal))?.Operation, Is.EqualTo(name));
    }

    [Test]
    public void AnOverloadWithAnotherArityHasNoRule()
    {
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) => Primals.Call(b, "System.Math", "Sin", x, y));
        Assert.That(DerivativeRules.Find(LastCall(primal)), Is.Null);
    }

    [Test]
    public void AMethodOfTheSameNameElsewhereHasNoRule()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => Primals.Call(b, "Demo.Trigonometry", "Sin", x));
        Assert.That(DerivativeRules.Find(LastCall(primal)), Is.Null);
    }

    [Test]
    public void ComparisonsAndRoundingHaveZeroRules()
    {
        var primal = Primals.Unary(Primals.Types.Double, (b, x) =>
        {
            b.Compare(ComparePredicate.Less, x, x);
            return Primals.Call(b, "System.Math", "Floor", x);
        });
        Assert.That(primal.Entry.Instructions.Where(i => i.Opcode is Opcode.Compare or Opcode.Call).Select(i => DerivativeRules.Find(i)!.IsZero), Is.All.True);
    }

    [Test]
    public void GenericMathStaticsDifferentiateWithTheirOwnSiblings()
    {
        var primal = Primals.Unary(Primals.Types.Single, (b, x) => Primals.Call(b, "System.Single", "Sin", x));
        var derivative = Derive.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.ActiveOnly));
        Assert.That(derivative.Entry.Instructions.Single(i => i.Member?.Name == "Cos").Member!.DeclaringType.FullName, Is.EqualTo("System.Single"));
        Assert.That(IrInterpreter.Run(derivative, 0.5f, 1f), Is.EqualTo(float.Cos(0.5f)));
    }

    [Test]
    public void RuleInputsAreWhatThePartialsRead()
    {
        Instruction add = null!, mul = null!, exp = null!, sin = null!;
        var primal = Primals.Binary(Primals.Types.Double, (b, x, y) =>
        {
            add = b.Add(x, y);
            mul = b.Mul(add, y);
            exp = (Instruction)Primals.Call(b, "System.Math", "Exp", mul);
            sin = (Instruction)Primals.Call(b, "System.Math", "Sin", exp);
            return sin;
        });
        Assert.That(RuleInputs.Read(add, _ => true), Is.EqualTo((System.Array.Empty<Value>(), false)));
        Assert.That(RuleInputs.Read(mul, _ => true).Operands, Is.EqualTo(new Value[] { add, primal.Parameters[1] }));
        Assert.That(RuleInputs.Read(mul, v => v == add).Operands, Is.EqualTo(new Value[] { primal.Parameters[1] }), "∂(a·y)/∂a = y");
        Assert.That(RuleInputs.Read(exp, _ => true), Is.EqualTo((System.Array.Empty<Value>(), true)));
        Assert.That(RuleInputs.Read(sin, _ => true).Operands, Is.EqualTo(new Value[] { exp }));
    }
}
