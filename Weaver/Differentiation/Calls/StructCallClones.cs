using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Optimization;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// Scalarized clones of helpers that take structs by value but cannot be inlined (recursive, in another assembly,
/// <c>[Checkpoint]</c>, generic ones among these): <c>&lt;Fold&gt;__leaves(double v_X, double v_Y, int n)</c> rebuilds
/// the struct from its float/double leaves and runs the helper's body, its recursive calls calling the clone in turn.
/// A call passing the struct then passes its leaves, which <see cref="Memory.StructScalarization"/> follows, and the
/// clone is differentiated like any helper taking scalars (forward derivative, split, recompute), its own struct
/// locals scalarized when it is lifted. This is LLVM's argument promotion (<c>-argpromotion</c>), which Enzyme
/// relies on to see a by-value aggregate as scalars across a call it cannot inline.
/// One clone per callee instantiation, shared by every call and derivative of the module.
/// </summary>
public static class StructCallClones
{
    private static readonly ConditionalWeakTable<ModuleDefinition, Dictionary<string, MethodDefinition?>> Modules = new();

    /// <summary>
    /// Why <paramref name="call"/> (passing a struct, not inlined) cannot call a clone instead; null when it can.
    /// The reasons are AD2208's.
    /// </summary>
    public static string? WhyNotCloned(Instruction call)
    {
        var reference = (MethodReference)call.Member!;
        if (DifferentiableStruct.Is(GenericSubstitution(reference.ReturnType, reference)))
            return "it returns a struct, which a helper that is not inlined cannot return with its derivatives yet; return its fields through separate float/double helpers";
        if (reference.HasThis)
            return "it is an instance method receiving the struct by address";
        if (reference.Parameters.Any(p => p.ParameterType.IsByReference && DifferentiableStruct.Is(GenericSubstitution(((ByReferenceType)p.ParameterType).ElementType, reference))))
            return "it receives the struct by reference";
        return null;
    }

    /// <summary>Replaces <paramref name="call"/> by a call of the callee's clone; false when no clone can be built (its body does not lift).</summary>
    public static bool TryReplace(IrMethod method, Instruction call, MethodDefinition callee, ModuleDefinition woven)
    {
        var reference = (MethodReference)call.Member!;
        var clones = Modules.GetValue(woven, _ => new Dictionary<string, MethodDefinition?>());
        if (!clones.TryGetValue(reference.FullName, out var clone))
        {
            clone = Build(reference, callee, woven, clones);
            clones[reference.FullName] = clone;
        }
        if (clone == null)
            return false;
        Redirect(method, call, clone, reference);
        return true;
    }

    private static MethodDefinition? Build(MethodReference reference, MethodDefinition callee, ModuleDefinition woven, Dictionary<string, MethodDefinition?> clones)
    {
        var foreign = callee.Module != woven;
        var host = foreign ? CalleeDerivatives.Of(woven).ForeignCalleeHost() : callee.DeclaringType;
        if (host.HasGenericParameters)
            return null;
        var clone = new MethodDefinition(NameFor(host, callee, foreign), MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, woven.ImportReference(callee.ReturnType));
        clone.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(woven));
        foreach (var attribute in callee.CustomAttributes.Where(a => a.AttributeType.FullName == "Autodiff.CheckpointAttribute"))
            clone.CustomAttributes.Add(new CustomAttribute(woven.ImportReference(attribute.Constructor)));
        foreach (var parameter in callee.Parameters)
        {
            if (!DifferentiableStruct.Is(parameter.ParameterType))
                clone.Parameters.Add(new ParameterDefinition(parameter.Name, parameter.Attributes, woven.ImportReference(parameter.ParameterType)));
            else
                foreach (var path in DifferentiableStruct.Leaves(parameter.ParameterType))
                    clone.Parameters.Add(new ParameterDefinition(parameter.Name + "_" + string.Join("_", path.Select(f => f.Name)), ParameterAttributes.None, woven.ImportReference(DifferentiableStruct.LeafType(path))));
        }

        var body = StructCallInlining.Lift(callee, woven, foreign ? null : host);
        if (body == null)
            return null;
        // Declared before its body is built, so that recursive calls find it.
        host.Methods.Add(clone);
        clones[reference.FullName] = clone;
        if (foreign && AccessChecks.AreNeededFor(callee))
            AccessChecks.Ignore(woven, callee.Module.Assembly.Name.Name);

        var ir = Wrapper(clone, callee, woven, out var inner);
        InlineCalls.Inline(ir, inner, body);
        foreach (var recursive in ir.Blocks.SelectMany(b => b.Instructions).Where(i => i.Opcode == Opcode.Call && i.Member is MethodReference m && m.FullName == reference.FullName).ToList())
            Redirect(ir, recursive, clone, reference);
        // The rebuilt structs become SSA leaves again: the clone reads and writes no memory of its own
        // (a [Checkpoint] clone must have no effects to be recomputed).
        new ScalarizeStructLocals().Run(ir);
        new PromoteStackSlots().Run(ir);
        Backend.MethodLowerer.Lower(ir, clone);
        return clone;
    }

    /// <summary>The clone's IR before the callee's body is inlined: the structs rebuilt from their leaves, passed to a call of the callee, whose result is returned.</summary>
    private static IrMethod Wrapper(MethodDefinition clone, MethodDefinition callee, ModuleDefinition woven, out Instruction inner)
    {
        var ir = new IrMethod(woven, clone.Name, clone.ReturnType) { Source = clone };
        var leaves = clone.Parameters.Select(p => ir.AddParameter(p.ParameterType, p.Name)).ToList();
        var builder = new IrBuilder(ir).AtEnd(ir.AddBlock(null));
        var next = 0;
        var arguments = new List<Value>();
        foreach (var parameter in callee.Parameters)
        {
            if (!DifferentiableStruct.Is(parameter.ParameterType))
            {
                arguments.Add(leaves[next++]);
                continue;
            }
            var slot = builder.StackSlot(parameter.ParameterType, parameter.Name);
            foreach (var path in DifferentiableStruct.Leaves(parameter.ParameterType))
                builder.Store(path.Aggregate((Value)slot, builder.ResolvedFieldAddress), leaves[next++], DifferentiableStruct.LeafType(path));
            arguments.Add(builder.Load(slot, parameter.ParameterType));
        }
        inner = builder.Call(callee, clone.ReturnType, arguments);
        builder.Return(clone.ReturnType.MetadataType == MetadataType.Void ? null : inner);
        return ir;
    }

    // The call now passes each struct argument as its leaves, read field by field.
    private static void Redirect(IrMethod method, Instruction call, MethodDefinition clone, MethodReference original)
    {
        var builder = new IrBuilder(method).Before(call);
        builder.DebugLocation = call.DebugLocation;
        var arguments = new List<Value>();
        for (var i = 0; i < call.Operands.Count; i++)
        {
            var type = GenericSubstitution(original.Parameters[i].ParameterType, original);
            if (DifferentiableStruct.Is(type))
                arguments.AddRange(DifferentiableStruct.Leaves(type).Select(path => path.Aggregate(call.Operands[i], builder.LoadResolvedField)));
            else
                arguments.Add(call.Operands[i]);
        }
        IrEdits.Replace(call, builder.Call(clone, call.Type, arguments));
    }

    private static TypeReference GenericSubstitution(TypeReference type, MethodReference reference) => Frontend.GenericSubstitution.Resolve(type, reference);

    // Overloads and instantiations of one callee get numbered clones.
    private static string NameFor(TypeDefinition host, MethodDefinition callee, bool foreign)
    {
        var name = $"<{(foreign ? callee.DeclaringType.FullName + "." : string.Empty)}{callee.Name}>__leaves";
        var taken = new HashSet<string>(host.Methods.Select(m => m.Name));
        return Enumerable.Range(0, int.MaxValue).Select(i => i == 0 ? name : name + i).First(candidate => !taken.Contains(candidate));
    }
}
