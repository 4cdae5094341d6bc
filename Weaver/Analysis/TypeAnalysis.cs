using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Which IR values carry derivatives (DESIGN §1.1 "differentiable value"). CIL already types every value,
/// so this slice only classifies scalars: <c>float</c> and <c>double</c> are differentiable; integers,
/// <c>bool</c>, references and pointers never are. Structs, spans and object graphs extend this pass.
/// </summary>
public sealed class TypeAnalysis
{
    private readonly Dictionary<Value, StackKind> kinds = new();

    private TypeAnalysis(IrMethod method) => Method = method;

    public IrMethod Method { get; }

    public static TypeAnalysis Run(IrMethod method)
    {
        var analysis = new TypeAnalysis(method);
        foreach (var parameter in method.Parameters)
            analysis.Classify(parameter);
        foreach (var block in method.Blocks)
        {
            foreach (var instruction in block.Instructions)
                analysis.Classify(instruction);
        }
        return analysis;
    }

    /// <summary>True for values that can hold a derivative: float32 and float64 scalars.</summary>
    public bool IsDifferentiable(Value value) => KindOf(value) is StackKind.Float32 or StackKind.Float64;

    public StackKind KindOf(Value value) =>
        kinds.TryGetValue(value, out var kind) ? kind : Method.Types.KindOf(value.Type);

    private void Classify(Value value) => kinds[value] = Method.Types.KindOf(value.Type);
}
