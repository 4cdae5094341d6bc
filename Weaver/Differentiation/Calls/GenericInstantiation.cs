using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Frontend;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Autodiff.Weaver.Differentiation.Calls;

/// <summary>
/// A generic method, or a static method of a generic type, at one instantiation over <c>double</c> or <c>float</c>, as a non-generic copy of its IL
/// that the lifter reads like any other method (monomorphization, as Enzyme sees generics after LLVM has
/// specialized them). Generic math reached through <c>constrained.</c> calls to static abstract interface
/// members becomes what the type implements: operators become CIL arithmetic and comparisons, <c>One</c>/<c>Zero</c>
/// constants, and other members (<c>T.Sin</c>, <c>T.Sqrt</c>, …) the type's own static, which the rule table knows.
/// The copy is attached to the generic method's declaring type but not added to it, so it is never written; members
/// of generic types it reaches are referenced through their instantiation (<c>Box&lt;double&gt;.Half</c>).
/// </summary>
public static class GenericInstantiation
{
    private static readonly Dictionary<string, OpCode> Operators = new()
    {
        ["op_Addition"] = OpCodes.Add, ["op_Subtraction"] = OpCodes.Sub, ["op_Multiply"] = OpCodes.Mul,
        ["op_Division"] = OpCodes.Div, ["op_Modulus"] = OpCodes.Rem, ["op_UnaryNegation"] = OpCodes.Neg,
        ["op_UnaryPlus"] = OpCodes.Nop, ["op_LessThan"] = OpCodes.Clt, ["op_GreaterThan"] = OpCodes.Cgt, ["op_Equality"] = OpCodes.Ceq,
    };

    /// <summary>The non-generic copy of <paramref name="instance"/>; throws AD3004 at <paramref name="call"/> for what it cannot copy.</summary>
    public static MethodDefinition Instantiate(MethodReference instance, MethodDefinition generic, Ir.Instruction call)
    {
        var typeArguments = instance.DeclaringType as GenericInstanceType;
        var methodArguments = instance as GenericInstanceMethod;
        var arguments = (typeArguments?.GenericArguments ?? Enumerable.Empty<TypeReference>()).Concat(methodArguments?.GenericArguments ?? Enumerable.Empty<TypeReference>());
        if (arguments.Any(a => !CallTarget.IsFloating(a)))
            throw Unsupported(call, instance, "only instantiations with double or float are differentiated");
        if (generic.Body.HasExceptionHandlers)
            throw Unsupported(call, instance, "exception handlers in generic callees are not supported yet");
        TypeReference Substitute(TypeReference type) => GenericSubstitution.Substitute(type, typeArguments, methodArguments);

        // An instance method of a generic type becomes static with its receiver, typed by the instantiation, first:
        // the open type cannot be named in a signature, and argument numbers stay as they were.
        var explicitThis = generic.HasThis && typeArguments != null;
        var copy = new MethodDefinition(generic.Name, generic.Attributes & ~MethodAttributes.Virtual, Substitute(generic.ReturnType))
        {
            DeclaringType = generic.DeclaringType, HasThis = generic.HasThis && !explicitThis,
        };
        if (explicitThis)
        {
            copy.IsStatic = true;
            copy.Parameters.Add(new ParameterDefinition("this", ParameterAttributes.None, typeArguments));
        }
        foreach (var parameter in generic.Parameters)
            copy.Parameters.Add(new ParameterDefinition(parameter.Name, parameter.Attributes, Substitute(parameter.ParameterType)));
        var body = copy.Body;
        body.InitLocals = generic.Body.InitLocals;
        foreach (var local in generic.Body.Variables)
            body.Variables.Add(new VariableDefinition(Substitute(local.VariableType)));

        // Index −1 is this; a receiver that became the first parameter shifts the others by one.
        ParameterDefinition ParameterAt(int index) =>
            explicitThis ? copy.Parameters[index + 1] : index < 0 ? body.ThisParameter : copy.Parameters[index];

        var map = new Dictionary<Instruction, Instruction>();
        var il = body.GetILProcessor();
        TypeReference? constrained = null;
        foreach (var instruction in generic.Body.Instructions)
        {
            var first = il.Body.Instructions.Count;
            if (instruction.OpCode.Code == Code.Constrained)
            {
                constrained = Substitute((TypeReference)instruction.Operand);
                il.Append(il.Create(OpCodes.Nop));
            }
            else if (constrained != null && instruction.Operand is MethodReference member)
            {
                AppendStaticAbstract(il, member, constrained, call, instance);
                constrained = null;
            }
            else
            {
                il.Append(CopyOf(il, instruction, Substitute, ParameterAt, call, instance));
            }
            map[instruction] = il.Body.Instructions[first];
        }
        foreach (var instruction in body.Instructions)
        {
            if (instruction.Operand is Instruction target)
                instruction.Operand = map[target];
            else if (instruction.Operand is Instruction[] targets)
                instruction.Operand = targets.Select(t => map[t]).ToArray();
        }
        foreach (var point in generic.DebugInformation.SequencePoints)
        {
            var original = generic.Body.Instructions.First(i => i.Offset == point.Offset);
            copy.DebugInformation.SequencePoints.Add(new SequencePoint(map[original], point.Document)
            {
                StartLine = point.StartLine, StartColumn = point.StartColumn, EndLine = point.EndLine, EndColumn = point.EndColumn,
            });
        }
        return copy;
    }

    private static Instruction CopyOf(
        ILProcessor il, Instruction instruction, System.Func<TypeReference, TypeReference> substitute, System.Func<int, ParameterDefinition> parameterAt, Ir.Instruction call, MethodReference instance)
    {
        var copy = il.Create(OpCodes.Nop);
        copy.OpCode = instruction.OpCode;
        copy.Operand = instruction.Operand switch
        {
            TypeReference type => substitute(type),
            GenericInstanceMethod method => Instantiated(method, substitute),
            MethodReference method when method.DeclaringType is GenericParameter => throw Unsupported(call, instance, $"{method.FullName} on a generic parameter"),
            MethodReference method when method.DeclaringType is GenericInstanceType => Through(method, substitute),
            FieldReference field when field.DeclaringType is GenericInstanceType => new FieldReference(field.Name, field.FieldType, substitute(field.DeclaringType)),
            VariableDefinition variable => il.Body.Variables[variable.Index],
            ParameterDefinition parameter => parameterAt(parameter.Index),
            var other => other,
        };
        return copy;
    }

    private static MethodReference Instantiated(GenericInstanceMethod method, System.Func<TypeReference, TypeReference> substitute)
    {
        var element = method.ElementMethod.DeclaringType is GenericInstanceType ? Through(method.ElementMethod, substitute) : method.ElementMethod;
        var result = new GenericInstanceMethod(element);
        foreach (var argument in method.GenericArguments)
            result.GenericArguments.Add(substitute(argument));
        return result;
    }

    /// <summary>
    /// <paramref name="method"/> referenced through its declaring type's instantiation; its signature stays as
    /// declared (in terms of <c>!0</c>), as CIL references members of generic instances.
    /// </summary>
    private static MethodReference Through(MethodReference method, System.Func<TypeReference, TypeReference> substitute)
    {
        var result = new MethodReference(method.Name, method.ReturnType, substitute(method.DeclaringType))
        {
            HasThis = method.HasThis, ExplicitThis = method.ExplicitThis, CallingConvention = method.CallingConvention,
        };
        foreach (var parameter in method.Parameters)
            result.Parameters.Add(new ParameterDefinition(parameter.ParameterType));
        foreach (var parameter in method.GenericParameters)
            result.GenericParameters.Add(new GenericParameter(parameter.Name, result));
        return result;
    }

    /// <summary>What <c>constrained. T call I::member</c> is for T = double or float.</summary>
    private static void AppendStaticAbstract(ILProcessor il, MethodReference member, TypeReference type, Ir.Instruction call, MethodReference instance)
    {
        var isDouble = type.MetadataType == MetadataType.Double;
        if (!CallTarget.IsFloating(type) || member.HasThis)
            throw Unsupported(call, instance, $"the constrained call to {member.FullName}");
        if (Operators.TryGetValue(member.Name, out var opcode))
        {
            il.Append(il.Create(opcode));
            return;
        }
        switch (member.Name)
        {
            case "get_One":
            case "get_Zero":
                var value = member.Name == "get_One" ? 1 : 0;
                il.Append(isDouble ? il.Create(OpCodes.Ldc_R8, (double)value) : il.Create(OpCodes.Ldc_R4, (float)value));
                return;
            case "op_GreaterThanOrEqual":
            case "op_LessThanOrEqual":
            case "op_Inequality":
                // a ≥ b is !(a < b) only without NaN; CIL's unordered compares give C#'s answer for NaN too.
                il.Append(il.Create(member.Name switch { "op_GreaterThanOrEqual" => OpCodes.Clt_Un, "op_LessThanOrEqual" => OpCodes.Cgt_Un, _ => OpCodes.Ceq }));
                il.Append(il.Create(OpCodes.Ldc_I4_0));
                il.Append(il.Create(OpCodes.Ceq));
                return;
        }
        var scalar = type.Resolve();
        var implementation = scalar?.Methods.FirstOrDefault(m => m.IsStatic && m.IsPublic && m.Name == member.Name && m.Parameters.Count == member.Parameters.Count
            && m.Parameters.All(p => p.ParameterType.MetadataType is MetadataType.Double or MetadataType.Single or MetadataType.Int32));
        if (implementation == null)
            throw Unsupported(call, instance, $"{type.Name} has no public static {member.Name} for the constrained call");
        il.Append(il.Create(OpCodes.Call, il.Body.Method.Module.ImportReference(implementation)));
    }

    private static WeaverException Unsupported(Ir.Instruction call, MethodReference instance, string what) =>
        new(DiagnosticCode.UnsupportedCall,
            $"cannot differentiate call to {instance.DeclaringType.FullName}.{instance.Name}"
            + (instance is GenericInstanceMethod method ? $"<{string.Join(", ", method.GenericArguments.Select(a => a.Name))}>" : string.Empty)
            + $": {what}; call a non-generic overload for double/float",
            call.DebugLocation);
}
