using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Tests.Ir;

/// <summary>
/// Executes the numeric subset of the IR (arithmetic, comparisons, conversions, branches, phis, stack
/// slots, one-dimensional arrays, static fields, calls and constructors through reflection, exception
/// regions) so tests can check that lifting keeps
/// a method's meaning by running both. Anything outside the subset throws <see cref="NotSupportedException"/>.
/// </summary>
public sealed class IrInterpreter
{
    private readonly IrMethod method;
    private readonly Func<TypeReference, Type> resolveType;
    private readonly Dictionary<Value, object?> values = new();

    /// <summary>The exception a handler or filter being entered receives as its exception object.</summary>
    private object? caught;

    /// <param name="method">The method to run.</param>
    /// <param name="resolveType">The runtime type a type reference names; calls and fields run on it compiled.</param>
    public IrInterpreter(IrMethod method, Func<TypeReference, Type> resolveType)
    {
        this.method = method;
        this.resolveType = resolveType;
    }

    /// <summary>A managed pointer: a stack slot or an array element.</summary>
    private sealed class Cell
    {
        public Cell(Func<object?> get, Action<object?> set)
        {
            Get = get;
            Set = set;
        }

        public Func<object?> Get { get; }

        public Action<object?> Set { get; }
    }

    public object? Run(params object?[] arguments)
    {
        for (var i = 0; i < arguments.Length; i++)
            values[method.Parameters[i]] = Normalize(arguments[i]);
        return RunFrom(method.Entry);
    }

    /// <summary>
    /// Runs from <paramref name="start"/> until <c>ret</c>, or until the <c>endfinally</c>/<c>endfilter</c>
    /// that ends a handler or filter run on its own; returns the returned or filter value. Exceptions are
    /// dispatched to the handlers of the enclosing try regions (ECMA-335 §I.12.4.2), finally and fault
    /// handlers running on the way.
    /// </summary>
    private object? RunFrom(Block start)
    {
        Block? previous = null;
        var block = start;
        while (true)
        {
            Block next;
            try
            {
                var terminator = RunBody(block, previous);
                switch (terminator.Opcode)
                {
                    case Opcode.Return:
                    case Opcode.EndFilter:
                        return terminator.Operands.Count == 0 ? null : Read(terminator.Operands[0]);
                    case Opcode.EndFinally:
                        return null;
                    case Opcode.Leave:
                        next = terminator.Targets[0];
                        RunFinallyHandlersExited(block.Region, next);
                        break;
                    case Opcode.BranchIf:
                        next = IsNonZero(Read(terminator.Operands[0])) ? terminator.Targets[0] : terminator.Targets[1];
                        break;
                    case Opcode.Switch:
                        var index = (int)Read(terminator.Operands[0])!;
                        next = index >= 0 && index < terminator.Targets.Length - 1 ? terminator.Targets[index] : terminator.Targets[^1];
                        break;
                    default:
                        next = terminator.Targets[0];
                        break;
                }
            }
            catch (Exception e) when (e is not NotSupportedException)
            {
                var thrown = e switch
                {
                    InterpretedThrowException t => t.Thrown,
                    TargetInvocationException { InnerException: { } inner } => inner,
                    _ => e,
                };
                next = FindHandler(block.Region, thrown) ?? throw new InterpretedThrowException(thrown);
            }
            previous = block;
            block = next;
        }
    }

    /// <summary>Evaluates the phis (from <paramref name="previous"/>) and the body of a block; returns its terminator.</summary>
    private Instruction RunBody(Block block, Block? previous)
    {
        var phis = block.Phis.ToList();
        var incoming = phis.Select(p => Read(p.Operands[Array.IndexOf(p.Targets, previous!)])).ToList();
        for (var i = 0; i < phis.Count; i++)
            values[phis[i]] = incoming[i];
        foreach (var instruction in block.Instructions.Skip(phis.Count))
        {
            if (instruction.IsTerminator)
            {
                switch (instruction.Opcode)
                {
                    case Opcode.Throw:
                        throw new InterpretedThrowException(Read(instruction.Operands[0]));
                    case Opcode.Rethrow:
                        throw new InterpretedThrowException(CaughtIn(block.Region));
                    case Opcode.Return or Opcode.Branch or Opcode.BranchIf or Opcode.Switch or Opcode.Leave or Opcode.EndFinally or Opcode.EndFilter:
                        return instruction;
                    default:
                        throw new NotSupportedException(instruction.Info.Mnemonic);
                }
            }
            values[instruction] = instruction.Opcode == Opcode.ExceptionObject ? caught : Execute(instruction);
        }
        throw new InvalidOperationException("block without terminator");
    }

    /// <summary>The exception the innermost enclosing catch caught (what <c>rethrow</c> throws).</summary>
    private object? CaughtIn(Region? region)
    {
        while (region != null && region.Kind is not (RegionKind.Catch or RegionKind.FilteredCatch))
            region = region.Parent;
        return region == null ? throw new NotSupportedException("rethrow outside a catch") : values[region.Entry.Instructions[0]];
    }

    /// <summary>The entry of the catch that takes <paramref name="thrown"/>; finally and fault handlers passed on the way run.</summary>
    private Block? FindHandler(Region? region, object? thrown)
    {
        for (var r = region; r != null; r = r.Parent)
        {
            if (r.Kind != RegionKind.Try)
                continue;
            foreach (var handler in r.Handlers)
            {
                caught = thrown;
                switch (handler.Kind)
                {
                    case RegionKind.Catch when resolveType(handler.CatchType!).IsInstanceOfType(thrown):
                        return handler.Entry;
                    case RegionKind.FilteredCatch when IsNonZero(RunFrom(handler.Filter!.Entry)):
                        caught = thrown; // the filter may have caught and handled an exception of its own
                        return handler.Entry;
                    case RegionKind.Finally or RegionKind.Fault:
                        RunFrom(handler.Entry);
                        break;
                }
            }
        }
        return null;
    }

    /// <summary><c>leave</c> runs the finally handlers of every try it exits, innermost first.</summary>
    private void RunFinallyHandlersExited(Region? from, Block target)
    {
        for (var r = from; r != null && !r.Contains(target.Region); r = r.Parent)
        {
            if (r.Kind != RegionKind.Try)
                continue;
            foreach (var handler in r.Handlers.Where(h => h.Kind == RegionKind.Finally))
                RunFrom(handler.Entry);
        }
    }

    private object? Read(Value value) => value switch
    {
        Constant constant => constant.Payload,
        _ => values[value],
    };

    private static bool IsNonZero(object? value) => value switch
    {
        null => false,
        int i => i != 0,
        long l => l != 0,
        _ => true,
    };

    /// <summary>Small integers and bools live as int, as on the CIL stack.</summary>
    private static object? Normalize(object? value) => value switch
    {
        Enum e => Normalize(Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), System.Globalization.CultureInfo.InvariantCulture)),
        bool b => b ? 1 : 0,
        byte or sbyte or short or ushort or char or uint => Convert.ToInt32(value is uint u ? unchecked((int)u) : value),
        ulong u => unchecked((long)u),
        _ => value,
    };

    private object? Execute(Instruction instruction)
    {
        var operands = instruction.Operands.Select(Read).ToArray();
        switch (instruction.Opcode)
        {
            case Opcode.Add or Opcode.Sub or Opcode.Mul or Opcode.Div or Opcode.Rem or Opcode.And or Opcode.Or or Opcode.Xor
                or Opcode.Shl or Opcode.Shr or Opcode.ShrUn or Opcode.DivUn or Opcode.RemUn:
                return Binary(instruction.Opcode, operands[0], operands[1]);
            case Opcode.AddOvf or Opcode.AddOvfUn or Opcode.SubOvf or Opcode.SubOvfUn or Opcode.MulOvf or Opcode.MulOvfUn:
                return CheckedBinary(instruction.Opcode, operands[0], operands[1]);
            case Opcode.Neg:
                return operands[0] switch { int i => (object)-i, long l => -l, float f => -f, double d => -d, _ => throw Unsupported(instruction) };
            case Opcode.Not:
                return operands[0] switch { int i => (object)~i, long l => ~l, _ => throw Unsupported(instruction) };
            case Opcode.Compare:
                return Compare(instruction.Predicate, operands[0], operands[1]) ? 1 : 0;
            case Opcode.Convert:
                return ConvertTo(instruction.TypeOperand!.MetadataType, operands[0], instruction.Flags.HasFlag(InstructionFlags.UnsignedSource));
            case Opcode.StackSlot:
                object? content = null;
                return new Cell(() => content, v => content = v);
            case Opcode.Load:
                return ((Cell)operands[0]!).Get();
            case Opcode.Store:
                ((Cell)operands[0]!).Set(operands[1]);
                return null;
            case Opcode.ArrayLength:
                return ((Array)operands[0]!).Length;
            case Opcode.NewArray:
                return Array.CreateInstance(ClrType(instruction.TypeOperand!), (int)operands[0]!);
            case Opcode.LoadElement:
                return Normalize(((Array)operands[0]!).GetValue((int)operands[1]!));
            case Opcode.StoreElement:
            {
                var array = (Array)operands[0]!;
                array.SetValue(ToClr(operands[2], array.GetType().GetElementType()!), (int)operands[1]!);
                return null;
            }
            case Opcode.ElementAddress:
            {
                var array = (Array)operands[0]!;
                var index = (int)operands[1]!;
                return new Cell(() => Normalize(array.GetValue(index)), v => array.SetValue(ToClr(v, array.GetType().GetElementType()!), index));
            }
            case Opcode.Call or Opcode.CallVirtual:
                return Call(instruction, operands);
            case Opcode.IsInstance:
                return resolveType(instruction.TypeOperand!).IsInstanceOfType(operands[0]) ? operands[0] : null;
            case Opcode.NewObject:
                return ResolveConstructor((MethodReference)instruction.Member!).Invoke(operands);
            case Opcode.LoadStaticField:
            {
                var field = (FieldReference)instruction.Member!;
                return Normalize(resolveType(field.DeclaringType).GetField(field.Name, AnyStatic)!.GetValue(null));
            }
            default:
                throw Unsupported(instruction);
        }
    }

    private const BindingFlags AnyStatic = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static;

    /// <summary>The stack representation of <paramref name="value"/> turned back into a <paramref name="type"/> for reflection.</summary>
    private static object? ToClr(object? value, Type type)
    {
        if (type.IsByRef)
            type = type.GetElementType()!;
        if (value == null || !type.IsPrimitive && !type.IsEnum)
            return value;
        if (type.IsEnum)
            return Enum.ToObject(type, value);
        return type == typeof(bool) ? IsNonZero(value) : Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static bool SameParameters(MethodBase method, MethodReference reference) =>
        method.GetParameters().Select(p => p.ParameterType.FullName).SequenceEqual(reference.Parameters.Select(p => p.ParameterType.FullName));

    private ConstructorInfo ResolveConstructor(MethodReference constructor) =>
        resolveType(constructor.DeclaringType).GetConstructors().Single(c => SameParameters(c, constructor));

    private MethodInfo ResolveMethod(MethodReference callee)
    {
        var flags = BindingFlags.Public | BindingFlags.NonPublic | (callee.HasThis ? BindingFlags.Instance : BindingFlags.Static);
        return resolveType(callee.DeclaringType).GetMethods(flags).SingleOrDefault(m => m.Name == callee.Name && SameParameters(m, callee))
            ?? throw new NotSupportedException("call to " + callee.FullName);
    }

    /// <summary>Runs a callee compiled; a receiver or argument passed by address is read before and written back after.</summary>
    private object? Call(Instruction instruction, object?[] operands)
    {
        var target = ResolveMethod((MethodReference)instruction.Member!);
        var receiverCount = target.IsStatic ? 0 : 1;
        var parameters = target.GetParameters();
        var receiver = receiverCount == 0 ? null : ToClr(operands[0] is Cell self ? self.Get() : operands[0], target.DeclaringType!);
        var arguments = operands.Skip(receiverCount).Select((o, i) => ToClr(o is Cell cell ? cell.Get() : o, parameters[i].ParameterType)).ToArray();
        var result = target.Invoke(receiver, arguments);
        if (receiverCount == 1 && operands[0] is Cell receiverCell)
            receiverCell.Set(Normalize(receiver));
        for (var i = 0; i < arguments.Length; i++)
        {
            if (operands[i + receiverCount] is Cell cell)
                cell.Set(Normalize(arguments[i]));
        }
        return Normalize(result);
    }

    private static object Binary(Opcode opcode, object? left, object? right)
    {
        switch (left, right)
        {
            case (int a, int b):
                return opcode switch
                {
                    Opcode.Add => a + b, Opcode.Sub => a - b, Opcode.Mul => a * b, Opcode.Div => a / b, Opcode.Rem => a % b,
                    Opcode.DivUn => (int)((uint)a / (uint)b), Opcode.RemUn => (int)((uint)a % (uint)b),
                    Opcode.And => a & b, Opcode.Or => a | b, Opcode.Xor => a ^ b,
                    Opcode.Shl => a << b, Opcode.Shr => a >> b, _ => (int)((uint)a >> b),
                };
            case (long a, int shift) when opcode is Opcode.Shl or Opcode.Shr or Opcode.ShrUn:
                return opcode switch { Opcode.Shl => a << shift, Opcode.Shr => a >> shift, _ => (long)((ulong)a >> shift) };
            case (long a, long b):
                return opcode switch
                {
                    Opcode.Add => a + b, Opcode.Sub => a - b, Opcode.Mul => a * b, Opcode.Div => a / b, Opcode.Rem => a % b,
                    Opcode.DivUn => (long)((ulong)a / (ulong)b), Opcode.RemUn => (long)((ulong)a % (ulong)b),
                    Opcode.And => a & b, Opcode.Or => a | b, _ => a ^ b,
                };
            case (float a, float b):
                return opcode switch { Opcode.Add => a + b, Opcode.Sub => a - b, Opcode.Mul => a * b, Opcode.Div => a / b, _ => a % b };
            default:
                var x = Convert.ToDouble(left);
                var y = Convert.ToDouble(right);
                return opcode switch { Opcode.Add => x + y, Opcode.Sub => x - y, Opcode.Mul => x * y, Opcode.Div => x / y, _ => x % y };
        }
    }

    /// <summary>add.ovf, sub.ovf, mul.ovf and their .un forms: OverflowException when the result does not fit.</summary>
    private static object CheckedBinary(Opcode opcode, object? left, object? right) => (left, right) switch
    {
        (int a, int b) => opcode switch
        {
            Opcode.AddOvf => checked(a + b), Opcode.SubOvf => checked(a - b), Opcode.MulOvf => checked(a * b),
            Opcode.AddOvfUn => (object)(int)checked((uint)a + (uint)b), Opcode.SubOvfUn => (int)checked((uint)a - (uint)b),
            _ => (int)checked((uint)a * (uint)b),
        },
        (long a, long b) => opcode switch
        {
            Opcode.AddOvf => checked(a + b), Opcode.SubOvf => checked(a - b), Opcode.MulOvf => checked(a * b),
            Opcode.AddOvfUn => (object)(long)checked((ulong)a + (ulong)b), Opcode.SubOvfUn => (long)checked((ulong)a - (ulong)b),
            _ => (long)checked((ulong)a * (ulong)b),
        },
        _ => throw new NotSupportedException($"{opcode} on {left?.GetType().Name} and {right?.GetType().Name}"),
    };

    private static bool Compare(ComparePredicate predicate, object? left, object? right)
    {
        if (left is int or long && right is int or long)
        {
            var signed = Convert.ToInt64(left).CompareTo(Convert.ToInt64(right));
            var unsigned = (left is int li ? (ulong)(uint)li : (ulong)(long)left!).CompareTo(right is int ri ? (ulong)(uint)ri : (ulong)(long)right!);
            return Holds(predicate, predicate.ToString().EndsWith("Un", StringComparison.Ordinal) ? unsigned : signed, unordered: false);
        }
        if (left is double or float || right is double or float)
        {
            var x = Convert.ToDouble(left);
            var y = Convert.ToDouble(right);
            var unordered = double.IsNaN(x) || double.IsNaN(y);
            return Holds(predicate, unordered ? 0 : x.CompareTo(y), unordered);
        }
        var same = ReferenceEquals(left, right);
        return predicate switch
        {
            ComparePredicate.Equal => same,
            ComparePredicate.NotEqualUn or ComparePredicate.GreaterUn => !same,
            _ => throw new NotSupportedException("ordered comparison of references"),
        };
    }

    /// <summary>ECMA-335: the <c>.un</c> float forms are also true when unordered; the others are false then.</summary>
    private static bool Holds(ComparePredicate predicate, int order, bool unordered) => predicate switch
    {
        ComparePredicate.Equal => !unordered && order == 0,
        ComparePredicate.NotEqualUn => unordered || order != 0,
        ComparePredicate.Less => !unordered && order < 0,
        ComparePredicate.LessUn => unordered || order < 0,
        ComparePredicate.LessOrEqual => !unordered && order <= 0,
        ComparePredicate.LessOrEqualUn => unordered || order <= 0,
        ComparePredicate.Greater => !unordered && order > 0,
        ComparePredicate.GreaterUn => unordered || order > 0,
        ComparePredicate.GreaterOrEqual => !unordered && order >= 0,
        _ => unordered || order >= 0,
    };

    private static object ConvertTo(MetadataType target, object? value, bool unsignedSource)
    {
        double AsDouble() => unsignedSource
            ? value is int i ? (uint)i : (double)(ulong)(long)value!
            : Convert.ToDouble(value);
        long AsLong() => value switch { int i => unsignedSource ? (uint)i : i, long l => l, float f => (long)f, _ => (long)(double)value! };
        return target switch
        {
            // Boxed per arm: a switch expression over numbers would otherwise widen every arm to double.
            MetadataType.Double => (object)AsDouble(),
            MetadataType.Single => (float)AsDouble(),
            MetadataType.Int64 => AsLong(),
            // conv.u8 zero-extends an int32 (C# emits it for (ulong)uintValue).
            MetadataType.UInt64 => value is int u ? (uint)u : AsLong(),
            MetadataType.SByte => (int)(sbyte)AsLong(),
            MetadataType.Byte => (int)(byte)AsLong(),
            MetadataType.Int16 => (int)(short)AsLong(),
            MetadataType.UInt16 => (int)(ushort)AsLong(),
            _ => (int)AsLong(),
        };
    }

    private static Type ClrType(TypeReference type) => type.MetadataType switch
    {
        MetadataType.Double => typeof(double),
        MetadataType.Single => typeof(float),
        MetadataType.Int32 => typeof(int),
        MetadataType.Int64 => typeof(long),
        MetadataType.Boolean => typeof(bool),
        _ => throw new NotSupportedException("array of " + type.FullName),
    };

    private static NotSupportedException Unsupported(Instruction instruction) =>
        new($"the interpreter does not execute {instruction.Info.Mnemonic} on these operands");
}

/// <summary>The interpreted method executed <c>throw</c>.</summary>
public sealed class InterpretedThrowException : Exception
{
    public InterpretedThrowException(object? thrown)
        : base("the interpreted method threw " + thrown) => Thrown = thrown;

    public object? Thrown { get; }
}
