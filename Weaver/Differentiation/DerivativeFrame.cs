using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Ir.Transforms;
using Autodiff.Weaver.Loading;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// The derivative method under construction: its parameters, one per entry of the request's signature,
/// and a copy of the primal body (the forward sweep both modes start from).
/// </summary>
public sealed class DerivativeFrame
{
    private readonly Dictionary<(int PrimalIndex, int Lane), Parameter> shadows = new();
    private readonly Dictionary<int, Parameter> seeds = new();

    private DerivativeFrame(IrMethod primal, DifferentiationRequest request, IrMethod method)
    {
        Primal = primal;
        Request = request;
        Method = method;
        Builder = new IrBuilder(method);
    }

    public IrMethod Primal { get; }

    public DifferentiationRequest Request { get; }

    public IrMethod Method { get; }

    public IrBuilder Builder { get; }

    /// <summary>Maps primal values and blocks to their copies in <see cref="Method"/>.</summary>
    public IrCloner Copy { get; private set; } = null!;

    public int Width => Request.Width;

    /// <summary>The primal's return instructions, in block order; each becomes a return of the derivative's result.</summary>
    public IReadOnlyList<Instruction> PrimalReturns =>
        Primal.Blocks.Select(b => b.Terminator).Where(t => t?.Opcode == Opcode.Return).Select(t => t!).ToList();

    public static DerivativeFrame Create(IrMethod primal, DifferentiationRequest request)
    {
        var signature = request.Signature;
        var frame = new DerivativeFrame(primal, request, new IrMethod(primal.Module, request.Derivative.Name, signature.ReturnType));
        var primalParameters = new Dictionary<Parameter, Value>();
        foreach (var entry in signature.Parameters)
        {
            var parameter = frame.Method.AddParameter(entry.Type, entry.Name);
            switch (entry.Kind)
            {
                case DerivativeParameterKind.Primal:
                    primalParameters[primal.Parameters[entry.PrimalIndex]] = parameter;
                    break;
                case DerivativeParameterKind.Shadow:
                    frame.shadows[(entry.PrimalIndex, entry.Lane)] = parameter;
                    break;
                case DerivativeParameterKind.Seed:
                    frame.seeds[entry.Lane] = parameter;
                    break;
            }
        }
        frame.Method.InitLocals = primal.InitLocals;
        frame.Copy = IrCloner.Clone(primal, frame.Method, primalParameters);
        return frame;
    }

    /// <summary>The tangent (forward) or shadow (reverse) parameter of primal parameter <paramref name="primalIndex"/> in one lane.</summary>
    public Parameter? Shadow(int primalIndex, int lane) => shadows.TryGetValue((primalIndex, lane), out var p) ? p : null;

    /// <summary>The seed of the returned value's adjoint in one lane (reverse Active/ActiveOnly return).</summary>
    public Parameter? Seed(int lane) => seeds.TryGetValue(lane, out var p) ? p : null;
}
