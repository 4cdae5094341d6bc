using System.Collections.Generic;
using Mono.Cecil;

namespace Autodiff.Weaver.Ir;

/// <summary>A typed SSA value: a <see cref="Constant"/>, a <see cref="Parameter"/> or an <see cref="Instruction"/>.</summary>
public abstract class Value
{
    private readonly List<Use> uses = new();

    protected Value(TypeReference type) => Type = type;

    public TypeReference Type { get; internal set; }

    /// <summary>Every operand slot that refers to this value.</summary>
    public IReadOnlyList<Use> Uses => uses;

    /// <summary>Optional source name (a local or parameter name) used by the printer and the backend.</summary>
    public string? Name { get; set; }

    public void ReplaceAllUsesWith(Value replacement)
    {
        if (ReferenceEquals(replacement, this))
            return;
        foreach (var use in uses.ToArray())
            use.User.SetOperand(use.Index, replacement);
    }

    internal void AddUse(Instruction user, int index) => uses.Add(new Use(user, index));

    internal void RemoveUse(Instruction user, int index)
    {
        for (var i = 0; i < uses.Count; i++)
        {
            if (ReferenceEquals(uses[i].User, user) && uses[i].Index == index)
            {
                uses.RemoveAt(i);
                return;
            }
        }
    }
}

/// <summary>Operand <see cref="Index"/> of <see cref="User"/>.</summary>
public readonly record struct Use(Instruction User, int Index);
