using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Analysis;
using Autodiff.Weaver.Differentiation.Calls;
using Autodiff.Weaver.Differentiation.HigherOrder;
using Autodiff.Weaver.Differentiation.Memory;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Construction;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation.Forward;

/// <summary>
/// Forward mode: right after each active instruction of the copied primal, emits its tangent in every
/// lane, ṙ = Σ ∂r/∂xᵢ·ẋᵢ with the partials computed once for all lanes; tangents of active phis are phis.
/// Each return then hands back the values and tangents the signature asks for. Memory with a shadow
/// carries tangents too: a load's tangent is loaded from the shadow, and every store into shadowed memory
/// writes the stored value's tangent (zero for a constant) to the shadow, so output tangents are overwritten.
/// </summary>
public sealed class TangentSynthesizer
{
    private readonly DerivativeFrame frame;
    private readonly ActivityAnalysis activity;
    private readonly ShadowMemory memory;
    private readonly Dictionary<Value, Value[]> tangents = new();

    private TangentSynthesizer(DerivativeFrame frame, ActivityAnalysis activity, ShadowMemory memory)
    {
        this.frame = frame;
        this.activity = activity;
        this.memory = memory;
    }

    public static void Run(DerivativeFrame frame, ActivityAnalysis activity, ShadowMemory memory) =>
        new TangentSynthesizer(frame, activity, memory).Run();

    private IrBuilder Builder => frame.Builder;

    private void Run()
    {
        foreach (var parameter in frame.Primal.Parameters.Where(activity.IsActive))
            tangents[parameter] = Enumerable.Range(0, frame.Width).Select(lane => (Value)frame.Shadow(parameter.Index, lane)!).ToArray();

        // Reverse postorder: an operand's tangent exists before its users' (phis are completed afterwards).
        var order = DominatorTree.Compute(frame.Primal).ReversePostorder;
        var phis = new List<Instruction>();
        foreach (var instruction in order.SelectMany(b => b.Instructions).Where(i => activity.IsActive(i) || memory.Shadowed.AccessOf(i) is { IsStore: true } || ShadowedCalls.Is(i, memory.Shadowed) || memory.Shadowed.IsStructureStore(i) || TapeTangents.Applies(i, activity)))
        {
            if (memory.Shadowed.IsStructureStore(instruction))
            {
                EmitStructureStore(instruction);
            }
            else if (memory.Shadowed.AccessOf(instruction) is { } access)
            {
                EmitShadowAccess(access);
            }
            else if (TapeTangents.Applies(instruction, activity))
            {
                InsertAfterCopyOf(instruction);
                if (TapeTangents.Emit(frame, instruction, value => tangents.TryGetValue(value, out var valueLanes) ? valueLanes : null) is { } tapeLanes)
                    tangents[instruction] = tapeLanes;
            }
            else if (CallTangents.Replaces(instruction, activity, memory.Shadowed))
            {
                var tangent = CallTangents.Emit(frame, memory, instruction, (operand, lane) => tangents.TryGetValue(operand, out var lanes) ? lanes[lane] : null, activity.IsActive(instruction));
                if (tangent != null)
                    tangents[instruction] = tangent.ToArray();
            }
            else if (instruction.Opcode == Opcode.Phi)
            {
                phis.Add(instruction);
                tangents[instruction] = Enumerable.Range(0, frame.Width)
                    .Select(_ => (Value)Builder.Phi(frame.Copy.Map(instruction.Block!), instruction.Type)).ToArray();
            }
            else
            {
                EmitTangent(instruction);
            }
        }
        foreach (var phi in phis)
            CompletePhi(phi);
        foreach (var primalReturn in frame.PrimalReturns)
            ReplaceReturn(primalReturn);
    }

    private void EmitShadowAccess(MemoryAccess access)
    {
        InsertAfterCopyOf(access.Instruction);
        if (!access.IsStore)
        {
            tangents[access.Instruction] = Enumerable.Range(0, frame.Width).Select(lane => memory.Load(access, lane, frame.Copy.Map)).ToArray();
            return;
        }
        for (var lane = 0; lane < frame.Width; lane++)
            memory.Store(access, lane, Tangent(access.StoredValue!, lane, access.StoredValue!), frame.Copy.Map);
    }

    private void EmitStructureStore(Instruction store)
    {
        InsertAfterCopyOf(store);
        for (var lane = 0; lane < frame.Width; lane++)
            memory.StoreStructure(store, lane, frame.Copy.Map);
    }

    private void InsertAfterCopyOf(Instruction instruction)
    {
        var copy = frame.Copy.Map(instruction);
        var block = copy.Block!;
        Builder.Before(block.Instructions[block.Instructions.IndexOf(copy) + 1]);
        Builder.DebugLocation = instruction.DebugLocation;
    }

    private void EmitTangent(Instruction instruction)
    {
        var copy = frame.Copy.Map(instruction);
        InsertAfterCopyOf(instruction);
        var terms = PartialDerivatives.Build(frame, instruction, tangents.ContainsKey);
        var lanes = new Value[frame.Width];
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            Value? sum = null;
            foreach (var (operand, partial) in terms)
                sum = DerivativeArithmetic.Sum(Builder, sum, DerivativeArithmetic.Coerce(Builder, DerivativeArithmetic.Scale(Builder, partial, tangents[operand][lane]), copy.Type));
            lanes[lane] = sum ?? DerivativeArithmetic.Zero(Builder, copy.Type);
        }
        tangents[instruction] = lanes;
    }

    private void CompletePhi(Instruction phi)
    {
        var lanes = tangents[phi];
        for (var lane = 0; lane < lanes.Length; lane++)
        {
            var tangentPhi = (Instruction)lanes[lane];
            for (var i = 0; i < phi.Operands.Count; i++)
                tangentPhi.AddPhiIncoming(frame.Copy.Map(phi.Targets[i]), Tangent(phi.Operands[i], lane, phi));
        }
    }

    private Value Tangent(Value primal, int lane, Value like) =>
        tangents.TryGetValue(primal, out var lanes) ? lanes[lane] : DerivativeArithmetic.Zero(Builder, like.Type);

    private void ReplaceReturn(Instruction primalReturn)
    {
        var copy = frame.Copy.Map(primalReturn);
        Builder.Before(copy);
        Builder.DebugLocation = primalReturn.DebugLocation;
        var returned = primalReturn.Operands.Count == 1 ? primalReturn.Operands[0] : null;
        ResultPacker.Return(Builder, frame.Request.Signature, element => element.Kind switch
        {
            DerivativeResultKind.PrimalValue => frame.Copy.Map(returned!),
            _ => memory.ReturnedTangent(returned!, element.Lane)
                ?? (CallAllocations.IsFloatArray(returned!.Type) ? ReturnedShadows.Of(memory, primalReturn, element.Lane, frame.Copy.Map) : Tangent(returned!, element.Lane, returned!)),
        });
        copy.Remove();
    }
}
