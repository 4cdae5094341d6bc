using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Tests.Differentiation;

/// <summary>
/// Runs IR directly, so derivative synthesis is tested by value before any backend exists: scalar
/// arithmetic in the IR's own precision, comparisons, conversions, static calls into the BCL resolved by
/// reflection, instance calls (the tapes' lists), object construction, stack slots, branches, switches and phis.
/// </summary>
public static class IrInterpreter
{
    public static object? Run(IrMethod method, params object[] arguments)
    {
        var values = new Dictionary<Value, object?>();
        for (var i = 0; i < arguments.Length; i++)
            values[method.Parameters[i]] = arguments[i];
        object? Get(Value v) => v is Constant c ? c.Payload : values[v];

        Block? previous = null;
        var block = method.Entry;
        while (true)
        {
            var phis = block.Phis.ToList();
            var incoming = phis.Select(p => Get(p.Operands[Array.IndexOf(p.Targets, previous!)])).ToList();
            for (var i = 0; i < phis.Count; i++)
                values[phis[i]] = incoming[i];
            Block? next = null;
            foreach (var instruction in block.Instructions.Skip(phis.Count))
            {
                var operands = instruction.Operands.Select(Get).ToArray();
                switch (instruction.Opcode)
                {
                    case Opcode.Return:
                        return operands.Length == 0 ? null : operands[0];
                    case Opcode.Branch:
                        next = instruction.Targets[0];
                        break;
                    case Opcode.BranchIf:
                        next = instruction.Targets[Convert.ToInt64(operands[0]) != 0 ? 0 : 1];
                        break;
                    case Opcode.Switch:
                        var index = Convert.ToInt64(operands[0]);
                        next = instruction.Targets[index >= 0 && index < instruction.Targets.Length - 1 ? (int)index : instruction.Targets.Length - 1];
                        break;
                    case Opcode.Store:
                        ((StrongBox<object?>)operands[0]!).Value = operands[1];
                        break;
                    case Opcode.StoreElement:
                        var array = (Array)operands[0]!;
                        array.SetValue(Convert.ChangeType(operands[2], array.GetType().GetElementType()!, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt32(operands[1]));
                        break;
                    default:
                        values[instruction] = Evaluate(instruction, operands);
                        break;
                }
            }
            previous = block;
            block = next ?? throw new InvalidOperationException("Block without a terminator.");
        }
    }

    /// <summary>The elements of a derivative's result: none, one value, or a (possibly nested) tuple's items.</summary>
    public static double[] Elements(object? result) => result switch
    {
        null => Array.Empty<double>(),
        ITuple tuple => Enumerable.Range(0, tuple.Length).SelectMany(i => Elements(tuple[i])).ToArray(),
        _ => new[] { Convert.ToDouble(result) },
    };

    private static object? Evaluate(Instruction instruction, object?[] operands) => instruction.Opcode switch
    {
        Opcode.Add => Arithmetic(instruction.Type, operands, (a, b) => a + b, (a, b) => a + b),
        Opcode.Sub => Arithmetic(instruction.Type, operands, (a, b) => a - b, (a, b) => a - b),
        Opcode.Mul => Arithmetic(instruction.Type, operands, (a, b) => a * b, (a, b) => a * b),
        Opcode.Div => Arithmetic(instruction.Type, operands, (a, b) => a / b, (a, b) => a / b),
        Opcode.Rem => Arithmetic(instruction.Type, operands, (a, b) => a % b, (a, b) => a % b),
        Opcode.Neg => Arithmetic(instruction.Type, new[] { operands[0], operands[0] }, (a, _) => -a, (a, _) => -a),
        Opcode.CheckFinite => operands[0],
        Opcode.Convert => ConvertTo(instruction.Type, operands[0]!),
        Opcode.Compare => CompareValues(instruction.Predicate, Convert.ToDouble(operands[0]), Convert.ToDouble(operands[1])) ? 1 : 0,
        // A stack slot is a cell holding its type's zero (null for references), as CIL's localsinit guarantees.
        Opcode.StackSlot => new StrongBox<object?>(ClrType(instruction.TypeOperand!) is { IsValueType: true } slotType ? Activator.CreateInstance(slotType) : null),
        Opcode.Load => ((StrongBox<object?>)operands[0]!).Value,
        Opcode.LoadElement => ((Array)operands[0]!).GetValue(Convert.ToInt32(operands[1])),
        Opcode.Call when ((MethodReference)instruction.Member!).HasThis => InstanceMethod(instruction, operands[0]!).Invoke(operands[0], operands.Skip(1).ToArray()),
        Opcode.Call => Method((MethodReference)instruction.Member!).Invoke(null, operands),
        Opcode.NewObject => Activator.CreateInstance(ClrType(instruction.Type), operands),
        _ => throw new NotSupportedException("The test interpreter does not run " + instruction.Opcode + "."),
    };

    private static object Arithmetic(TypeReference type, object?[] operands, Func<double, double, double> floating, Func<long, long, long> integral) =>
        type.MetadataType switch
        {
            MetadataType.Single => (object)(float)floating(Convert.ToSingle(operands[0]), Convert.ToSingle(operands[1])),
            MetadataType.Double => floating(Convert.ToDouble(operands[0]), Convert.ToDouble(operands[1])),
            MetadataType.Int32 => (object)(int)integral(Convert.ToInt64(operands[0]), Convert.ToInt64(operands[1])),
            _ => integral(Convert.ToInt64(operands[0]), Convert.ToInt64(operands[1])),
        };

    private static object ConvertTo(TypeReference type, object value) => type.MetadataType switch
    {
        MetadataType.Single => (object)(value is double d ? (float)d : Convert.ToSingle(value)),
        MetadataType.Double => Convert.ToDouble(value),
        MetadataType.Int32 => (object)(value is double or float ? (int)Convert.ToDouble(value) : Convert.ToInt32(value)),
        _ => value is double or float ? (long)Convert.ToDouble(value) : Convert.ToInt64(value),
    };

    private static bool CompareValues(ComparePredicate predicate, double a, double b) => predicate switch
    {
        ComparePredicate.Equal => a == b,
        ComparePredicate.NotEqualUn => a != b,
        ComparePredicate.Less => a < b,
        ComparePredicate.LessUn => !(a >= b),
        ComparePredicate.LessOrEqual => a <= b,
        ComparePredicate.LessOrEqualUn => !(a > b),
        ComparePredicate.Greater => a > b,
        ComparePredicate.GreaterUn => !(a <= b),
        ComparePredicate.GreaterOrEqual => a >= b,
        _ => !(a < b),
    };

    // Members of generic instances (the runtime's Tape<T>) are declared over !0: found by name and arity.
    private static System.Reflection.MethodInfo Method(MethodReference method) => method.DeclaringType is GenericInstanceType
        ? ClrType(method.DeclaringType).GetMethods().Single(m => m.Name == method.Name && m.GetParameters().Length == method.Parameters.Count)
        : ClrType(method.DeclaringType).GetMethod(method.Name, method.Parameters.Select(p => ClrType(p.ParameterType)).ToArray())
            ?? throw new MissingMethodException(method.FullName);

    /// <summary>An instance method of the receiver's runtime type, by name and arity (generic instances included).</summary>
    private static System.Reflection.MethodInfo InstanceMethod(Instruction instruction, object receiver)
    {
        var method = (MethodReference)instruction.Member!;
        return receiver.GetType().GetMethods().Single(m => m.Name == method.Name && m.GetParameters().Length == method.Parameters.Count);
    }

    private static Type ClrType(TypeReference type) => type switch
    {
        GenericInstanceType generic => ClrType(generic.ElementType).MakeGenericType(generic.GenericArguments.Select(ClrType).ToArray()),
        _ => type.MetadataType switch
        {
            MetadataType.Single => typeof(float),
            MetadataType.Double => typeof(double),
            MetadataType.Int32 => typeof(int),
            MetadataType.Int64 => typeof(long),
            MetadataType.Boolean => typeof(bool),
            _ => Type.GetType(type.FullName) ?? Type.GetType($"{type.FullName}, {type.Scope.Name}", throwOnError: true)!,
        },
    };
}
