using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// Structural calls repeated on the shadow, so that shadow memory keeps the primal's shape (Enzyme mirrors an
/// allocation with a shadow allocation the same way): <c>list.Add(0)</c> on a Duplicated/Dual list parameter —
/// which <see cref="ListOperations"/> makes of every <c>Add</c>, followed by a store of the added value — is
/// followed by <c>dlist.Add(0)</c>, so the shadow list grows with the same count and capacity policy. The call
/// itself carries no derivative; the store of the value does, through the memory support. In reverse mode the
/// mirror runs in the forward sweep, before the reverse sweep indexes the shadow.
/// </summary>
public static class ShadowMirrors
{
    /// <summary>True for <c>Add(0)</c> on a <c>List&lt;float/double&gt;</c> parameter passed with a shadow.</summary>
    public static bool IsMirrored(Instruction instruction, ShadowedMemory memory) =>
        instruction.Opcode is Opcode.Call or Opcode.CallVirtual
        && instruction.Member is MethodReference { Name: "Add", DeclaringType: GenericInstanceType list }
        && ListOperations.IsFloatList(list)
        && instruction.Operands is [Parameter parameter, Constant { Payload: 0.0 or 0.0f }]
        && memory.Roots.Contains(parameter);

    /// <summary>Emits, right after each mirrored call's copy in the derivative, the same call on every lane's shadow.</summary>
    public static void Emit(DerivativeFrame frame, ShadowedMemory memory)
    {
        foreach (var call in frame.Primal.Blocks.SelectMany(b => b.Instructions).Where(i => IsMirrored(i, memory)))
        {
            var copy = frame.Copy.Map(call);
            var builder = new IrBuilder(frame.Method) { DebugLocation = call.DebugLocation }
                .Before(copy.Block!.Instructions[copy.Block.Instructions.IndexOf(copy) + 1]);
            var parameter = (Parameter)call.Operands[0];
            for (var lane = 0; lane < frame.Width; lane++)
                builder.Call((MethodReference)call.Member!, call.Type, new[] { frame.Shadow(parameter.Index, lane)!, call.Operands[1] }, call.Opcode == Opcode.CallVirtual);
        }
    }
}
