using Autodiff.Weaver.Differentiation.Rules;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Calls to methods marked [Inactive] (or whose return value is) have a zero derivative.</summary>
public sealed class InactiveAnnotationTests
{
    private static MethodDefinition Callee(string name, bool onReturn)
    {
        var module = Primals.Module;
        var type = new TypeDefinition("Demo", "Annotated" + name, TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed, Primals.Types.Object);
        module.Types.Add(type);
        var method = new MethodDefinition(name, MethodAttributes.Public | MethodAttributes.Static, Primals.Types.Double);
        method.Parameters.Add(new ParameterDefinition("x", ParameterAttributes.None, Primals.Types.Double));
        type.Methods.Add(method);
        var attribute = new TypeReference("Autodiff", "InactiveAttribute", module, Primals.Types.Double.Scope);
        var constructor = new MethodReference(".ctor", Primals.Types.Void, attribute) { HasThis = true };
        (onReturn ? (ICustomAttributeProvider)method.MethodReturnType : method).CustomAttributes.Add(new CustomAttribute(constructor));
        return method;
    }

    [TestCase("NoiseOnMethod", false)]
    [TestCase("NoiseOnReturn", true)]
    public void InactiveCallContributesNothing(string name, bool onReturn)
    {
        var callee = Callee(name, onReturn);
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => b.Add(b.Mul(x, x), b.Call(callee, callee.ReturnType, new Value[] { x })));
        var request = TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.ActiveOnly);
        var derivative = Derive.Synthesize(primal, request);
        Assert.That(derivative.Entry.Instructions.FindAll(i => ReferenceEquals(i.Member, callee)), Has.Count.EqualTo(1), IrPrinter.Print(derivative));
        Assert.That(DerivativeRules.Find(primal.Entry.Instructions.Find(i => i.Opcode == Opcode.Call)!)!.IsZero, Is.True);
    }

    [Test]
    public void UnannotatedCallHasNoRule()
    {
        var callee = Callee("Plain", onReturn: false);
        callee.CustomAttributes.Clear();
        var primal = Primals.Unary(Primals.Types.Double, (b, x) => b.Call(callee, callee.ReturnType, new Value[] { x }));
        Assert.That(DerivativeRules.Find(primal.Entry.Instructions[0]), Is.Null);
    }
}
