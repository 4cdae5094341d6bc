using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Structural calls repeated on the shadow, so that shadow memory keeps the primal's shape (Enzyme mirrors an
/// allocation with a shadow allocation the same way): <c>list.Add(0)</c> on a Duplicated/Dual list parameter or on a
/// list created by <c>new List&lt;T&gt;()</c> that has a shadow list —
/// which <see cref="ListOperations"/> makes of every <c>Add</c>, followed by a store of the added value — is
/// followed by <c>dlist.Add(0)</c>, so the shadow list grows with the same count and capacity policy. The call
/// itself carries no derivative; the store of the value does, through the memory support. In reverse mode the
/// mirror runs in the forward sweep, before the reverse sweep indexes the shadow.
/// </summary>
public static class ShadowMirrors
{
    /// <summary>True for <c>Add(0)</c> on a <c>List&lt;float/double&gt;</c> parameter passed with a shadow, or created with a shadow list.</summary>
    public static bool IsMirrored(Instruction instruction, ShadowedMemory memory) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual
        && instruction.Member is MethodReference { Name: "Add", DeclaringType: GenericInstanceType list }
        && ListOperations.IsFloatList(list)
        && instruction.Operands is [var root, Constant { Payload: 0.0 or 0.0f }]
        && (root is Parameter parameter && memory.Roots.Contains(parameter) || root is Instruction allocation && memory.Allocations.Contains(allocation));

    /// <summary>A list whose growth can be mirrored: a parameter, or one created here by <c>new List&lt;T&gt;()</c>.</summary>
    public static bool IsListRoot(Value list) =>
        list is Parameter || list is Instruction { Opcode: Opcode.NewObject, Member: MethodReference constructor } && ShadowAllocations.IsEmptyFloatList(constructor);

    /// <summary>Emits, right after each mirrored call's copy in the derivative, the same call on every lane's shadow.</summary>
    public static void Emit(DerivativeFrame frame, Memory.ShadowMemory memory)
    {
        foreach (var call in frame.Primal.Blocks.SelectMany(b => b.Instructions).Where(i => IsMirrored(i, memory.Shadowed)))
        {
            var copy = frame.Copy.Map(call);
            var builder = new IrBuilder(frame.Method) { DebugLocation = call.DebugLocation }
                .Before(copy.Block!.Instructions[copy.Block.Instructions.IndexOf(copy) + 1]);
            for (var lane = 0; lane < frame.Width; lane++)
            {
                var shadow = call.Operands[0] is Parameter parameter ? frame.Shadow(parameter.Index, lane)! : memory.AllocationShadow((Instruction)call.Operands[0], lane);
                builder.Call((MethodReference)call.Member!, call.Type, new[] { shadow, call.Operands[1] }, call.Opcode == Opcode.CallVirtual);
            }
        }
    }
}
