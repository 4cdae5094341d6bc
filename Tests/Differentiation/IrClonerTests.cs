using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Transforms;
using NUnit.Framework;

namespace Autodiff.Tests.Differentiation;

/// <summary>The cloner copies blocks, regions, phis and payloads, so a copy prints exactly like its source.</summary>
public sealed class IrClonerTests
{
    /// <summary>A loop whose blocks are laid out with a use before its definition, inside a try with a catch.</summary>
    private static IrMethod Source()
    {
        var types = Primals.Types;
        var method = new IrMethod(Primals.Module, "Looping", types.Double);
        var x = method.AddParameter(types.Double, "x");
        var n = method.AddParameter(types.Int32, "n");
        var entry = method.AddBlock(null);
        var protectedRegion = method.AddRegion(RegionKind.Try, null);
        var handler = method.AddRegion(RegionKind.Catch, null);
        handler.Try = protectedRegion;
        handler.CatchType = types.Object;
        protectedRegion.Handlers.Add(handler);
        var body = method.AddBlock(protectedRegion);
        var header = method.AddBlock(protectedRegion);
        var done = method.AddBlock(protectedRegion);
        var catchEntry = method.AddBlock(handler);
        var exit = method.AddBlock(null);
        protectedRegion.Entry = header;
        handler.Entry = catchEntry;

        var b = new IrBuilder(method).AtEnd(entry);
        var slot = b.StackSlot(types.Double, "acc");
        b.Store(slot, x, types.Double);
        b.Branch(header);
        var i = b.Phi(header, types.Int32);
        b.AtEnd(header).BranchIf(b.Compare(ComparePredicate.Less, i, n), body, done);
        b.AtEnd(done).Leave(exit);
        var next = b.AtEnd(body).Add(i, method.Int32(1));
        b.Store(slot, Primals.Call(b, "System.Math", "Sin", b.Load(slot, types.Double)), types.Double);
        b.Branch(header);
        i.AddPhiIncoming(entry, method.Int32(0));
        i.AddPhiIncoming(body, next);
        b.AtEnd(catchEntry).Emit(Opcode.ExceptionObject, types.Object);
        b.Leave(exit);
        b.AtEnd(exit).Return(b.Load(slot, types.Double));
        return method;
    }

    [Test]
    public void CopyPrintsLikeTheSource()
    {
        var source = Source();
        var target = new IrMethod(source.Module, source.Name, source.ReturnType);
        var parameters = new Dictionary<Parameter, Value>();
        foreach (var parameter in source.Parameters)
            parameters[parameter] = target.AddParameter(parameter.Type, parameter.Name);
        IrCloner.Clone(source, target, parameters);
        IrVerifier.Check(source);
        IrVerifier.Check(target);
        Assert.That(IrPrinter.Print(target), Is.EqualTo(IrPrinter.Print(source)));
    }

    [Test]
    public void CopySharesNothingWithTheSource()
    {
        var source = Source();
        var target = new IrMethod(source.Module, source.Name, source.ReturnType);
        var parameters = source.Parameters.ToDictionary(p => p, p => (Value)target.AddParameter(p.Type, p.Name));
        var copy = IrCloner.Clone(source, target, parameters);
        var sourceInstructions = source.Blocks.SelectMany(b => b.Instructions).ToList();
        foreach (var instruction in sourceInstructions)
        {
            var mapped = copy.Map(instruction);
            Assert.That(mapped.Block!.Method, Is.SameAs(target));
            Assert.That(mapped.Operands.OfType<Instruction>().All(o => o.Block!.Method == target), Is.True);
            Assert.That(mapped.Targets.All(t => t.Method == target), Is.True);
        }
        Assert.That(target.Regions.Select(r => r.Entry.Method), Is.All.SameAs(target));
        Assert.That(sourceInstructions.SelectMany(i => i.Uses).All(u => u.User.Block!.Method == source), Is.True);
    }

    [Test]
    public void BooleanConstantsKeepTheirType()
    {
        var source = Primals.Straight("IsSet", Primals.Types.Boolean, System.Array.Empty<(Mono.Cecil.TypeReference, string)>(), (b, _) => b.Method.Boolean(true));
        var target = new IrMethod(source.Module, source.Name, source.ReturnType);
        IrCloner.Clone(source, target, new Dictionary<Parameter, Value>());
        IrVerifier.Check(target);
        Assert.That(target.Entry.Instructions[0].Operands[0], Is.SameAs(target.Boolean(true)));
    }
}
