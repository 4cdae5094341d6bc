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
/// Scalarized clones of helpers that take or return structs but cannot be inlined (recursive, in another assembly,
/// <c>[Checkpoint]</c>, generic ones among these): <c>&lt;Fold&gt;__leaves(double v_X, double v_Y, int n)</c> rebuilds
/// the struct from its float/double leaves and runs the helper's body, its recursive calls calling the clone in turn.
/// A call passing the struct then passes its leaves, which <see cref="Memory.StructScalarization"/> follows, and the
/// clone is differentiated like any helper taking scalars (forward derivative, split, recompute), its own struct
/// locals scalarized when it is lifted. A returned struct comes back through one <c>out</c> parameter per leaf, and a
/// struct the helper writes through its address goes as one <c>ref</c> per leaf: the caller's float/double cells,
/// shadowed like any local whose address is taken (<see cref="ShadowAllocations.IsScalarCell"/>). This is LLVM's argument promotion (<c>-argpromotion</c>), which Enzyme
/// relies on to see a by-value aggregate as scalars across a call it cannot inline.
/// One clone per callee instantiation, shared by every call and derivative of the module.
/// </summary>
public static class StructCallClones
{
    // Per weaving run: a referenced assembly's methods, lifted into this run, share the woven module's clones.
    private static readonly ConditionalWeakTable<CalleeDerivatives, Dictionary<string, Clone>> Runs = new();

    /// <summary>How a parameter of the callee (receiver first) reaches the clone.</summary>
    private enum Passing
    {
        /// <summary>As it is.</summary>
        Whole,
        /// <summary>A struct by value, as its leaves.</summary>
        Leaves,
        /// <summary>A struct by address (receiver, <c>in</c>, <c>ref</c>) the callee only reads, as the leaves it holds.</summary>
        LeavesAtAddress,
        /// <summary>
        /// A struct by address the callee may write, as one <c>ref</c> per leaf: float/double cells of the caller,
        /// copied in before and out after the call, whose shadows the call's derivative carries.
        /// </summary>
        LeavesByReference,
    }

    /// <param name="Method">The clone; null when none could be built.</param>
    /// <param name="Passings">How each of the callee's parameters (receiver first) is passed.</param>
    /// <param name="WhyNot">Why no clone was built, for AD2208.</param>
    /// <param name="Result">The struct the callee returns, which the clone writes as leaves through its trailing <c>out</c> parameters; null when it returns no struct.</param>
    private sealed record Clone(MethodDefinition? Method, IReadOnlyList<Passing> Passings, string? WhyNot, TypeReference? Result = null);

    /// <summary>
    /// Why <paramref name="call"/> (passing a struct, not inlined) cannot call a clone instead; null when it can or
    /// its clone has not been tried. The reasons are AD2208's.
    /// </summary>
    public static string? WhyNotCloned(Instruction call)
    {
        var reference = (MethodReference)call.Member!;
        return Runs.TryGetValue(CalleeDerivatives.Of(call.Block!.Method.Module), out var clones) && clones.TryGetValue(reference.FullName, out var clone) ? clone.WhyNot : null;
    }

    /// <summary>Replaces <paramref name="call"/> by a call of the callee's clone; false when no clone can be built.</summary>
    public static bool TryReplace(IrMethod method, Instruction call, MethodDefinition callee, ModuleDefinition woven)
    {
        var reference = (MethodReference)call.Member!;
        var clones = Runs.GetValue(CalleeDerivatives.Of(woven), _ => new Dictionary<string, Clone>());
        if (!clones.TryGetValue(reference.FullName, out var clone))
        {
            clone = Build(reference, callee, woven, clones);
            clones[reference.FullName] = clone;
        }
        if (clone.Method == null)
            return false;
        Redirect(method, call, clone);
        return true;
    }

    private static Clone Build(MethodReference reference, MethodDefinition callee, ModuleDefinition woven, Dictionary<string, Clone> clones)
    {
        var foreign = callee.Module != woven;
        var host = foreign ? CalleeDerivatives.Of(woven).ForeignCalleeHost() : callee.DeclaringType;
        if (host.HasGenericParameters)
            return new Clone(null, System.Array.Empty<Passing>(), "it is a method of a generic type, where its clone cannot be declared");
        var body = StructCallInlining.Lift(callee, woven, foreign ? null : host);
        if (body == null)
            return new Clone(null, System.Array.Empty<Passing>(), "its body does not lift");
        var passings = body.Parameters.Select(p => PassingOf(p, reference)).ToList();

        // A struct result leaves through out parameters, one per leaf: float/double locals whose address goes to a
        // call are shadowed cells (Enzyme's shadow allocas), so the call's derivative carries them like any out argument.
        var result = DifferentiableStruct.Is(body.ReturnType) ? body.ReturnType : null;
        // The reverse sweep recomputes a [Checkpoint] call from its arguments alone, without shadowed out cells (AD2204 otherwise).
        if (result != null && callee.CustomAttributes.Any(a => a.AttributeType.FullName == "Autodiff.CheckpointAttribute"))
            return new Clone(null, passings, "it returns a struct, whose leaves a recomputed [Checkpoint] call cannot write through out parameters; remove [Checkpoint] or return a float/double");
        var method = new MethodDefinition(NameFor(host, callee, foreign), MethodAttributes.Assembly | MethodAttributes.Static | MethodAttributes.HideBySig, result == null ? woven.ImportReference(body.ReturnType) : woven.TypeSystem.Void);
        method.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(woven));
        foreach (var attribute in callee.CustomAttributes.Where(a => a.AttributeType.FullName == "Autodiff.CheckpointAttribute"))
            method.CustomAttributes.Add(new CustomAttribute(woven.ImportReference(attribute.Constructor)));
        for (var i = 0; i < body.Parameters.Count; i++)
        {
            var parameter = body.Parameters[i];
            var name = parameter.Name ?? "p" + i;
            if (passings[i] == Passing.Whole)
                method.Parameters.Add(new ParameterDefinition(name, ParameterAttributes.None, woven.ImportReference(parameter.Type)));
            else
                foreach (var path in DifferentiableStruct.Leaves(StructType(parameter.Type)))
                {
                    var leaf = woven.ImportReference(DifferentiableStruct.LeafType(path));
                    method.Parameters.Add(new ParameterDefinition(name + "_" + string.Join("_", path.Select(f => f.Name)), ParameterAttributes.None, passings[i] == Passing.LeavesByReference ? new ByReferenceType(leaf) : leaf));
                }
        }
        if (result != null)
            foreach (var path in DifferentiableStruct.Leaves(result))
                method.Parameters.Add(new ParameterDefinition("result_" + string.Join("_", path.Select(f => f.Name)), ParameterAttributes.Out, new ByReferenceType(woven.ImportReference(DifferentiableStruct.LeafType(path)))));
        // Declared before its body is built, so that recursive calls find it.
        host.Methods.Add(method);
        var clone = new Clone(method, passings, null, result);
        clones[reference.FullName] = clone;
        if (foreign && AccessChecks.AreNeededFor(callee))
            AccessChecks.Ignore(woven, callee.Module.Assembly.Name.Name);

        try
        {
            var ir = Wrapper(method, body, passings, result, woven, out var inner);
            InlineCalls.Inline(ir, inner, body);
            foreach (var recursive in ir.Blocks.SelectMany(b => b.Instructions).Where(i => IsCallOf(i, reference)).ToList())
                Redirect(ir, recursive, clone);
            // The rebuilt structs become SSA leaves again: the clone reads and writes no memory of its own
            // (a [Checkpoint] clone must have no effects to be recomputed).
            new ScalarizeStructLocals().Run(ir);
            new PromoteStackSlots().Run(ir);
            Backend.MethodLowerer.Lower(ir, method);
            return clone;
        }
        catch (Diagnostics.WeaverException e)
        {
            // The call stays as it was: reported (AD2208) only if a derivative has to pass through it.
            host.Methods.Remove(method);
            return new Clone(null, passings, "its clone could not be built (" + e.Message + ")");
        }
    }

    private static Passing PassingOf(Parameter parameter, MethodReference reference) =>
        DifferentiableStruct.Is(parameter.Type) ? Passing.Leaves
        : parameter.Type is ByReferenceType byReference && DifferentiableStruct.Is(byReference.ElementType)
            ? (IsOnlyRead(parameter, reference) ? Passing.LeavesAtAddress : Passing.LeavesByReference)
        : Passing.Whole;

    // The struct at an address is only read: field reads, whole loads, field addresses only read, or passed to the callee's own recursive call.
    private static bool IsOnlyRead(Value address, MethodReference reference) => address.Uses.All(use => use.User.Opcode switch
    {
        Opcode.Load or Opcode.LoadField => use.Index == 0,
        Opcode.FieldAddress => use.Index == 0 && IsOnlyRead(use.User, reference),
        _ => IsCallOf(use.User, reference),
    });

    private static bool IsCallOf(Instruction instruction, MethodReference reference) =>
        instruction.Opcode == Opcode.Call && instruction.Member is MethodReference called && called.FullName == reference.FullName;

    private static TypeReference StructType(TypeReference type) => type is ByReferenceType byReference ? byReference.ElementType : type;

    /// <summary>
    /// The clone's IR before the callee's body is inlined: the structs rebuilt from their leaves, passed to a call of
    /// the callee, whose result is returned, or written leaf by leaf through the out parameters when it is a struct.
    /// </summary>
    private static IrMethod Wrapper(MethodDefinition clone, IrMethod body, IReadOnlyList<Passing> passings, TypeReference? result, ModuleDefinition woven, out Instruction inner)
    {
        var ir = new IrMethod(woven, clone.Name, clone.ReturnType) { Source = clone };
        var leaves = clone.Parameters.Select(p => ir.AddParameter(p.ParameterType, p.Name)).ToList();
        var builder = new IrBuilder(ir).AtEnd(ir.AddBlock(null));
        var next = 0;
        var arguments = new List<Value>();
        var writtenBack = new List<(Instruction Slot, IReadOnlyList<FieldReference> Path, Value Leaf)>();
        for (var i = 0; i < passings.Count; i++)
        {
            if (passings[i] == Passing.Whole)
            {
                arguments.Add(leaves[next++]);
                continue;
            }
            var type = StructType(body.Parameters[i].Type);
            var slot = builder.StackSlot(type, body.Parameters[i].Name);
            foreach (var path in DifferentiableStruct.Leaves(type))
            {
                var leaf = leaves[next++];
                var leafType = DifferentiableStruct.LeafType(path);
                builder.Store(path.Aggregate((Value)slot, builder.ResolvedFieldAddress), passings[i] == Passing.LeavesByReference ? builder.Load(leaf, leafType) : leaf, leafType);
                if (passings[i] == Passing.LeavesByReference)
                    writtenBack.Add((slot, path, leaf));
            }
            arguments.Add(passings[i] == Passing.Leaves ? builder.Load(slot, type) : slot);
        }
        inner = builder.Call(body.Source!, result ?? clone.ReturnType, arguments);
        foreach (var (slot, path, leaf) in writtenBack)
            builder.Store(leaf, builder.Load(path.Aggregate((Value)slot, builder.ResolvedFieldAddress), DifferentiableStruct.LeafType(path)), DifferentiableStruct.LeafType(path));
        if (result != null)
        {
            foreach (var path in DifferentiableStruct.Leaves(result))
                builder.Store(leaves[next++], path.Aggregate((Value)inner, builder.LoadResolvedField), DifferentiableStruct.LeafType(path));
        }
        builder.Return(clone.ReturnType.MetadataType == MetadataType.Void ? null : inner);
        return ir;
    }

    // The call now passes each struct argument as its leaves, read field by field (through its address when passed by
    // one); a struct result is rebuilt from the leaves the clone wrote into one local each.
    private static void Redirect(IrMethod method, Instruction call, Clone clone)
    {
        var builder = new IrBuilder(method).Before(call);
        builder.DebugLocation = call.DebugLocation;
        var arguments = new List<Value>();
        var copiedBack = new List<(Value Address, IReadOnlyList<FieldReference> Path, Instruction Cell)>();
        for (var i = 0; i < call.Operands.Count; i++)
        {
            var operand = call.Operands[i];
            if (clone.Passings[i] == Passing.Whole)
                arguments.Add(operand);
            else if (clone.Passings[i] != Passing.LeavesByReference)
                arguments.AddRange(DifferentiableStruct.Leaves(StructType(operand.Type)).Select(path => path.Aggregate(operand, builder.LoadResolvedField)));
            else
                foreach (var path in DifferentiableStruct.Leaves(StructType(operand.Type)))
                {
                    var leafType = DifferentiableStruct.LeafType(path);
                    var cell = builder.StackSlot(leafType, string.Join("_", path.Select(f => f.Name)));
                    builder.Store(cell, path.Aggregate(operand, builder.LoadResolvedField), leafType);
                    arguments.Add(cell);
                    copiedBack.Add((operand, path, cell));
                }
        }
        var results = clone.Result == null ? System.Array.Empty<IReadOnlyList<FieldReference>>() : DifferentiableStruct.Leaves(call.Type);
        var cells = results.Select(path => builder.StackSlot(DifferentiableStruct.LeafType(path), "result_" + string.Join("_", path.Select(f => f.Name)))).ToList();
        var redirected = builder.Call(clone.Method!, clone.Result == null ? call.Type : method.Types.Void, arguments.Concat(cells).ToList());
        // Written leaves go back into the struct once the call has returned.
        foreach (var (address, path, cell) in copiedBack)
            builder.Store(path.Aggregate(address, builder.ResolvedFieldAddress), builder.Load(cell, DifferentiableStruct.LeafType(path)), DifferentiableStruct.LeafType(path));
        if (clone.Result == null)
        {
            IrEdits.Replace(call, redirected);
            return;
        }
        var rebuilt = builder.StackSlot(call.Type, null);
        for (var i = 0; i < results.Count; i++)
            builder.Store(results[i].Aggregate((Value)rebuilt, builder.ResolvedFieldAddress), builder.Load(cells[i], DifferentiableStruct.LeafType(results[i])), DifferentiableStruct.LeafType(results[i]));
        IrEdits.Replace(call, builder.Load(rebuilt, call.Type));
    }

    // Overloads and instantiations of one callee get numbered clones.
    private static string NameFor(TypeDefinition host, MethodDefinition callee, bool foreign)
    {
        var name = $"<{(foreign ? callee.DeclaringType.FullName + "." : string.Empty)}{callee.Name}>__leaves";
        var taken = new HashSet<string>(host.Methods.Select(m => m.Name));
        return Enumerable.Range(0, int.MaxValue).Select(i => i == 0 ? name : name + i).First(candidate => !taken.Contains(candidate));
    }
}
