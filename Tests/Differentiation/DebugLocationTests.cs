using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Mono.Cecil.Cil;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>Derivative instructions carry the source location of the primal instruction they come from.</summary>
public sealed class DebugLocationTests
{
    private static readonly Document Source = new("/src/Model.cs");
    private static readonly SequencePoint SinLine = new(Mono.Cecil.Cil.Instruction.Create(OpCodes.Nop), Source) { StartLine = 3, StartColumn = 5, EndLine = 3, EndColumn = 20 };
    private static readonly SequencePoint MulLine = new(Mono.Cecil.Cil.Instruction.Create(OpCodes.Nop), Source) { StartLine = 4, StartColumn = 5, EndLine = 4, EndColumn = 20 };

    private static IrMethod Primal() => Primals.Unary(Primals.Types.Double, (b, x) =>
    {
        b.DebugLocation = SinLine;
        var sin = Primals.Call(b, "System.Math", "Sin", x);
        b.DebugLocation = MulLine;
        return b.Mul(sin, x);
    });

    [Test]
    public void ForwardTangentOfSinIsAtTheSinLine()
    {
        var primal = Primal();
        var derivative = Derive.Synthesize(primal, TestRequests.Forward(primal, ActivityKind.Dual, ActivityKind.Dual));
        var cos = derivative.Entry.Instructions.Single(i => i.Member?.Name == "Cos");
        Assert.That(cos.DebugLocation, Is.SameAs(SinLine));
        Assert.That(derivative.Entry.Instructions.Where(i => i.Opcode == Opcode.Mul).Select(i => i.DebugLocation), Has.Some.SameAs(MulLine));
    }

    [Test]
    public void ReverseAdjointOfSinIsAtTheSinLine()
    {
        var primal = Primal();
        var derivative = Derive.Synthesize(primal, TestRequests.Reverse(primal, ActivityKind.Active, ActivityKind.Active));
        var cos = derivative.Entry.Instructions.Single(i => i.Member?.Name == "Cos");
        Assert.That(cos.DebugLocation, Is.SameAs(SinLine));
        Assert.That(derivative.Entry.Instructions.All(i => i.DebugLocation != null || i.Opcode == Opcode.Return), Is.True, IrPrinter.Print(derivative));
    }
}
