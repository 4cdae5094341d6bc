using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation.Bcl;

/// <summary>
/// The members of <c>Vector2/3/4</c> and <c>Complex</c> spelled as operations on components: CoreLib implements
/// them with hardware intrinsics (no IL to lift), and as scalar arithmetic and <c>Math</c>/<c>MathF</c> calls they
/// are covered by the opcode rules and the rule table (Enzyme likewise differentiates vector intrinsics lane
/// by lane). Formulas are the textbook ones: <c>Dot</c> sums in component order, <c>Normalize</c> is v/‖v‖,
/// Complex division is (ac+bd, bc−ad)/(c²+d²) and <c>Magnitude</c> is √(a²+b²) — equal to CoreLib's up to
/// rounding (CoreLib scales to avoid overflow near the double range).
/// </summary>
internal sealed class NumericStructOperations
{
    private readonly IrBuilder b;
    private readonly NumericStruct type;
    private readonly IReadOnlyList<Value> arguments;
    private readonly Func<Value, Value[]> components;

    private NumericStructOperations(IrBuilder builder, NumericStruct type, IReadOnlyList<Value> arguments, Func<Value, Value[]> components)
    {
        b = builder;
        this.type = type;
        this.arguments = arguments;
        this.components = components;
    }

    /// <summary>
    /// The components of what <paramref name="member"/> returns (one element for a scalar result), computed by
    /// <paramref name="builder"/> from <paramref name="arguments"/> (the receiver's address first for instance
    /// members; a constructor's arguments without the object); null for members this class does not spell out.
    /// </summary>
    public static Value[]? Evaluate(IrBuilder builder, NumericStruct type, MethodReference member, IReadOnlyList<Value> arguments, Func<Value, Value[]> components)
    {
        var operations = new NumericStructOperations(builder, type, arguments, components);
        return type.IsComplex ? operations.Complex(member) : operations.Vector(member);
    }

    private Value[]? Vector(MethodReference member)
    {
        var shape = Shape(member);
        return (member.Name, shape) switch
        {
            (".ctor", "s") => Enumerable.Repeat(arguments[0], type.Width).ToArray(),
            (".ctor", _) when shape.All(c => c == 's') && shape.Length == type.Width => arguments.ToArray(),
            (".ctor", "vs" or "vss") => components(arguments[0]).Concat(arguments.Skip(1)).ToArray(),
            ("op_Addition" or "Add", "vv") => Zip(b.Add),
            ("op_Subtraction" or "Subtract", "vv") => Zip(b.Sub),
            ("op_Multiply" or "Multiply", "vv") => Zip(b.Mul),
            ("op_Multiply" or "Multiply", "vs") => V(0).Select(x => (Value)b.Mul(x, arguments[1])).ToArray(),
            ("op_Multiply" or "Multiply", "sv") => V(1).Select(x => (Value)b.Mul(arguments[0], x)).ToArray(),
            ("op_Division" or "Divide", "vv") => Zip(b.Div),
            ("op_Division" or "Divide", "vs") => V(0).Select(x => (Value)b.Div(x, arguments[1])).ToArray(),
            ("op_UnaryNegation" or "Negate", "v") => V(0).Select(x => (Value)b.Neg(x)).ToArray(),
            ("op_UnaryPlus", "v") => V(0),
            ("SquareRoot", "v") => V(0).Select(Sqrt).ToArray(),
            ("Abs", "v") => V(0).Select(x => Math("Abs", x)).ToArray(),
            ("Dot", "vv") => new[] { Dot(V(0), V(1)) },
            ("Cross", "vv") when type.Width == 3 => Cross(V(0), V(1)),
            ("Normalize", "v") => Normalize(V(0)),
            ("Length", "t") => new[] { Sqrt(Dot(V(0), V(0))) },
            ("LengthSquared", "t") => new[] { Dot(V(0), V(0)) },
            ("Distance", "vv") => new[] { Sqrt(Dot(Zip(b.Sub), Zip(b.Sub))) },
            ("DistanceSquared", "vv") => new[] { Dot(Zip(b.Sub), Zip(b.Sub)) },
            ("get_Zero", "") => Constants(_ => 0),
            ("get_One", "") => Constants(_ => 1),
            ("get_UnitX" or "get_UnitY" or "get_UnitZ" or "get_UnitW", "") => Constants(i => i == "XYZW".IndexOf(member.Name[member.Name.Length - 1]) ? 1 : 0),
            _ => null,
        };
    }

    private Value[]? Complex(MethodReference member)
    {
        var zero = b.Method.Float64(0);
        // A real operand is the complex number (x, 0).
        Value[] Z(int i) => Shape(member)[i] == 'v' ? components(arguments[i]) : new[] { arguments[i], zero };
        var shape = Shape(member);
        return (member.Name, shape) switch
        {
            (".ctor", "ss") => arguments.ToArray(),
            ("op_Implicit", "s") when arguments[0].Type.MetadataType == MetadataType.Double => Z(0),
            ("op_Addition" or "Add", "vv" or "vs" or "sv") => Pairwise(Z(0), Z(1), b.Add),
            ("op_Subtraction" or "Subtract", "vv" or "vs" or "sv") => Pairwise(Z(0), Z(1), b.Sub),
            ("op_Multiply" or "Multiply", "vv" or "vs" or "sv") => Multiply(Z(0), Z(1)),
            ("op_Division" or "Divide", "vv" or "vs" or "sv") => Divide(Z(0), Z(1)),
            ("op_UnaryNegation" or "Negate", "v") => Z(0).Select(x => (Value)b.Neg(x)).ToArray(),
            ("op_UnaryPlus", "v") => Z(0),
            ("Conjugate", "v") => new[] { Z(0)[0], b.Neg(Z(0)[1]) },
            ("Exp", "v") => Exp(Z(0)),
            ("Log", "v") => new[] { Math("Log", Modulus(Z(0))), Math("Atan2", Z(0)[1], Z(0)[0]) },
            ("Sqrt", "v") => SquareRoot(Z(0)),
            ("Abs", "v") => new[] { Modulus(Z(0)) },
            ("get_Magnitude", "t") => new[] { Modulus(V(0)) },
            ("get_Phase", "t") => new[] { Math("Atan2", V(0)[1], V(0)[0]) },
            ("get_Real", "t") => new[] { V(0)[0] },
            ("get_Imaginary", "t") => new[] { V(0)[1] },
            _ => null,
        };
    }

    /// <summary>One letter per argument: t the receiver's address, v a value of the struct, s a scalar; constructors list their parameters.</summary>
    private string Shape(MethodReference member) =>
        string.Concat(arguments.Select((a, i) => member.HasThis && member.Name != ".ctor" && i == 0 ? 't' : NumericStruct.Of(a.Type) != null ? 'v' : IsScalar(a.Type) ? 's' : '?'));

    private static bool IsScalar(TypeReference type) => type.MetadataType is MetadataType.Single or MetadataType.Double;

    private Value[] V(int i) => components(arguments[i]);

    private Value[] Zip(Func<Value, Value, Instruction> operation) => Pairwise(V(0), V(1), operation);

    private static Value[] Pairwise(Value[] left, Value[] right, Func<Value, Value, Instruction> operation) =>
        left.Zip(right, (x, y) => (Value)operation(x, y)).ToArray();

    private Value Dot(Value[] left, Value[] right) =>
        left.Zip(right, (x, y) => (Value)b.Mul(x, y)).Aggregate((sum, term) => b.Add(sum, term));

    private Value[] Cross(Value[] u, Value[] v) => new Value[]
    {
        b.Sub(b.Mul(u[1], v[2]), b.Mul(u[2], v[1])),
        b.Sub(b.Mul(u[2], v[0]), b.Mul(u[0], v[2])),
        b.Sub(b.Mul(u[0], v[1]), b.Mul(u[1], v[0])),
    };

    private Value[] Normalize(Value[] v)
    {
        var length = Sqrt(Dot(v, v));
        return v.Select(x => (Value)b.Div(x, length)).ToArray();
    }

    private Value[] Constants(Func<int, double> value) =>
        Enumerable.Range(0, type.Width).Select(i => (Value)b.Method.Float(type.Scalar, value(i))).ToArray();

    private Value[] Multiply(Value[] z, Value[] w) => new Value[]
    {
        b.Sub(b.Mul(z[0], w[0]), b.Mul(z[1], w[1])),
        b.Add(b.Mul(z[0], w[1]), b.Mul(z[1], w[0])),
    };

    private Value[] Divide(Value[] z, Value[] w)
    {
        var denominator = b.Add(b.Mul(w[0], w[0]), b.Mul(w[1], w[1]));
        return new Value[]
        {
            b.Div(b.Add(b.Mul(z[0], w[0]), b.Mul(z[1], w[1])), denominator),
            b.Div(b.Sub(b.Mul(z[1], w[0]), b.Mul(z[0], w[1])), denominator),
        };
    }

    private Value[] Exp(Value[] z)
    {
        var scale = Math("Exp", z[0]);
        return new Value[] { b.Mul(scale, Math("Cos", z[1])), b.Mul(scale, Math("Sin", z[1])) };
    }

    /// <summary>The principal root: (√((r+a)/2), ±√((r−a)/2)) with r = |z| and the sign of the imaginary part (+ for +0).</summary>
    private Value[] SquareRoot(Value[] z)
    {
        var r = Modulus(z);
        var half = b.Method.Float64(0.5);
        var real = Math("Sqrt", b.Mul(b.Add(r, z[0]), half));
        var magnitude = Math("Sqrt", b.Mul(b.Sub(r, z[0]), half));
        var nonNegative = b.Convert(b.Compare(ComparePredicate.GreaterOrEqual, z[1], b.Method.Float64(0)), b.Method.Types.Double);
        var sign = b.Sub(b.Mul(b.Method.Float64(2), nonNegative), b.Method.Float64(1));
        return new Value[] { real, b.Mul(sign, magnitude) };
    }

    private Value Modulus(Value[] z) => Math("Sqrt", b.Add(b.Mul(z[0], z[0]), b.Mul(z[1], z[1])));

    private Value Sqrt(Value x) => Math("Sqrt", x);

    /// <summary>A call of <c>Math.name</c> (double) or <c>MathF.name</c> (float), which the rule table differentiates.</summary>
    private Value Math(string name, params Value[] operands)
    {
        var scalar = operands[0].Type.MetadataType == MetadataType.Single ? b.Method.Types.Single : b.Method.Types.Double;
        var module = b.Method.Module;
        var math = new TypeReference("System", scalar.MetadataType == MetadataType.Single ? "MathF" : "Math", module, module.TypeSystem.CoreLibrary);
        var method = new MethodReference(name, scalar, math);
        foreach (var _ in operands)
            method.Parameters.Add(new ParameterDefinition(scalar));
        return b.Call(method, scalar, operands);
    }
}
