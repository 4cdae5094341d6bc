using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Differentiation.Rules;

/// <summary>Builds ∂f/∂xᵢ as IR at the context's insertion point, from the primal operands and result.</summary>
public delegate Value PartialDerivative(RuleContext context);

/// <summary>
/// The derivative of one operation as its partial derivatives, one per operand (null: the operand carries
/// no derivative). Forward mode emits ḟ = Σ ∂f/∂xᵢ·ẋᵢ and reverse mode x̄ᵢ += ∂f/∂xᵢ·f̄ from the same
/// entry, as Enzyme's tablegen derivative rules do.
/// </summary>
public sealed class DerivativeRule
{
    public DerivativeRule(string operation, params PartialDerivative?[] partials)
    {
        Operation = operation;
        Partials = partials;
    }

    /// <summary>The operation's name as shown in diagnostics and dumps.</summary>
    public string Operation { get; }

    public IReadOnlyList<PartialDerivative?> Partials { get; }

    /// <summary>True when no operand carries a derivative: the result is a constant (comparisons, Floor, …).</summary>
    public bool IsZero => Partials.All(p => p == null);

    /// <summary>A rule for an operation whose derivative is zero everywhere it exists.</summary>
    public static DerivativeRule Zero(string operation, int arity) =>
        new(operation, new PartialDerivative?[arity]);
}
