using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Which memory has a shadow: the arrays, spans, references and objects passed with one (Duplicated, DuplicatedOnly, Dual,
/// DualOnly), element addresses inside them (rank 1 and multi-dimensional), the inner arrays of jagged ones, the elements of
/// shadowed spans, the fields of shadowed objects (with the arrays and objects those fields hold), and the fields of
/// struct values passed Active or Dual. Loads from this memory are
/// varied and stores into it are useful, as Enzyme treats a duplicated argument's memory as active.
/// Arrays, objects and stackalloc'd spans the method allocates itself are shadowed too once an active value or a
/// shadowed reference is stored into them (Enzyme gives such allocations a shadow allocation; <see cref="ShadowAllocations"/>),
/// and phis of references that all have shadows are followed. Everything else (Const arrays, other locals, static
/// fields) is constant memory.
/// </summary>
public sealed class ShadowedMemory
{
    private readonly HashSet<Parameter> roots;
    private readonly HashSet<Instruction> allocations;

    /// <param name="roots">The parameters passed with a shadow.</param>
    /// <param name="returnSlot">The local a returned struct is written into (<c>StructScalarization</c>), whose shadow holds its tangent or seed.</param>
    public ShadowedMemory(IEnumerable<Parameter> roots, Instruction? returnSlot = null)
        : this(roots, System.Array.Empty<Instruction>(), returnSlot)
    {
    }

    private ShadowedMemory(IEnumerable<Parameter> roots, IEnumerable<Instruction> allocations, Instruction? returnSlot)
    {
        this.roots = new HashSet<Parameter>(roots);
        this.allocations = new HashSet<Instruction>(allocations);
        ReturnSlot = returnSlot;
    }

    public static ShadowedMemory None { get; } = new(System.Array.Empty<Parameter>());

    /// <summary>The parameters passed with a shadow.</summary>
    public IReadOnlyCollection<Parameter> Roots => roots;

    /// <summary>The <c>newarr</c>/<c>newobj</c> instructions that get a shadow allocated alongside (<see cref="ShadowAllocations"/>).</summary>
    public IReadOnlyCollection<Instruction> Allocations => allocations;

    /// <summary>This memory and the arrays <paramref name="more"/> allocates.</summary>
    public ShadowedMemory WithAllocations(IEnumerable<Instruction> more) => new(roots, allocations.Concat(more), ReturnSlot);

    /// <summary>The local a returned struct is written into; null when the method returns no struct.</summary>
    public Instruction? ReturnSlot { get; }

    /// <summary>
    /// True when <paramref name="pointer"/> (an array or an address) points into shadowed memory; a phi of references
    /// (<c>for (var n = head; n != null; n = n.Next)</c>) does when each incoming reference does or is null.
    /// </summary>
    public bool Contains(Value pointer) => Contains(pointer, new HashSet<Instruction>());

    // A phi on a cycle of pointer phis is assumed contained while its incoming values are checked.
    private bool Contains(Value pointer, HashSet<Instruction> phisInProgress) => pointer is Parameter parameter ? roots.Contains(parameter) : (IsPointer(pointer.Type) || IsStructPart(pointer) || IsUntypedAllocation(pointer)) && pointer switch
    {
        Instruction step when IsStep(step) => Contains(step.Operands[0], phisInProgress),
        Instruction { Opcode: Opcode.StackSlot } slot => slot == ReturnSlot || SpanOf(slot) != null || allocations.Contains(slot),
        Instruction { Opcode: Opcode.NewArray or Opcode.NewObject or Opcode.Call or Opcode.CallVirtual } allocation => allocations.Contains(allocation),
        Instruction { Opcode: Opcode.Phi } phi => !phisInProgress.Add(phi)
            || phi.Operands.All(incoming => incoming is Constant { Payload: null } || Contains(incoming, phisInProgress)),
        _ => false,
    };

    /// <summary>An uninitialized object (typed <c>object</c> until its cast) standing for <c>new C(args)</c>.</summary>
    private static bool IsUntypedAllocation(Value value) => value is Instruction instruction && ShadowAllocations.IsUninitializedObject(instruction);

    /// <summary>
    /// A nested struct read off a struct value (<c>s.A</c> of a parameter <c>s</c>): a struct parameter passed with a
    /// derivative (Active, Dual) is tracked like memory whose shadow is the tangent (forward) or an adjoint struct
    /// (reverse), and its nested structs are steps into it.
    /// </summary>
    private static bool IsStructPart(Value value) =>
        value is Instruction { Opcode: Opcode.LoadField } && DifferentiableStruct.Is(value.Type);

    /// <summary>The array, object, span slot or parameter a pointer chain (element and field addresses, jagged rows) starts from.</summary>
    public static Value BaseOf(Value pointer)
    {
        while (pointer is Instruction step && IsStep(step))
            pointer = step.Operands[0];
        return pointer;
    }

    /// <summary>An instruction that yields a pointer into the memory its first operand points to.</summary>
    public static bool IsStep(Instruction instruction) =>
        instruction.Opcode is Opcode.ElementAddress or Opcode.LoadElement or Opcode.FieldAddress or Opcode.LoadField
        || IsTypeTest(instruction)
        || MemoryAccess.ArrayMethod(instruction) is { Name: "Address" }
        || IsSpanIndexer(instruction);

    /// <summary>
    /// <c>isinst</c>/<c>castclass</c> to a class: the same object seen as another type. A shadow has its primal's runtime
    /// type, so the same test on it succeeds exactly when the primal's does (the shadow takes the primal's branch).
    /// </summary>
    public static bool IsTypeTest(Instruction instruction) =>
        instruction.Opcode is Opcode.IsInstance or Opcode.CastClass && IsPointer(instruction.Type);

    /// <summary>Arrays, managed pointers and class instances (generic ones too, as List&lt;double&gt;): what can lead to memory (a struct value is not memory).</summary>
    public static bool IsPointer(TypeReference type) =>
        type.IsArray || type.IsByReference || (!type.IsValueType && !type.IsGenericParameter && type.MetadataType is MetadataType.Class or MetadataType.GenericInstance);

    /// <summary>
    /// The shadowed span parameter a stack slot holds: C# indexes a span parameter through its address, so the
    /// frontend gives it a slot that the entry stores it into. Null unless every store into the slot stores that one parameter.
    /// </summary>
    public Parameter? SpanOf(Instruction slot)
    {
        var stored = slot.Uses.Select(use => use.User)
            .Where(user => user.Opcode == Opcode.Store && user.Operands[0] == slot)
            .Select(store => store.Operands[1])
            .Distinct()
            .ToList();
        return stored.Count == 1 && stored[0] is Parameter parameter && roots.Contains(parameter) && IsSpan(parameter.Type) ? parameter : null;
    }

    /// <summary><c>ref T Span&lt;T&gt;.this[int]</c> or <c>ref readonly T ReadOnlySpan&lt;T&gt;.this[int]</c>.</summary>
    public static bool IsSpanIndexer(Instruction call) =>
        call.Opcode == Opcode.Call && call.Member is MethodReference { Name: "get_Item", DeclaringType: var type } && IsSpan(type);

    public static bool IsSpan(TypeReference type) => type.Namespace == "System" && type.Name is "Span`1" or "ReadOnlySpan`1";

    /// <summary>
    /// True for calls that read only the shape of an array or span (<c>GetLength</c>, <c>Length</c>, bounds, rank):
    /// the primal and its shadow share it, so such calls need no derivative. A woven derivative's own entry checks
    /// (<c>Autodiff.Runtime.ShadowChecks</c>, <c>TapeRecomputation</c>, met when a derivative is differentiated again)
    /// compare shapes and identities only.
    /// </summary>
    public static bool ReadsOnlyShape(Instruction call) =>
        call.Member is MethodReference { DeclaringType: var type, Name: var name }
        && ((type is ArrayType || type.FullName == "System.Array" || IsSpan(type)) && ShapeQueries.Contains(name)
            || type.FullName is "Autodiff.Runtime.ShadowChecks" or "Autodiff.Runtime.TapeRecomputation");

    private static readonly HashSet<string> ShapeQueries = new()
    {
        "GetLength", "GetLongLength", "get_Length", "get_LongLength", "GetLowerBound", "GetUpperBound", "get_Rank", "get_IsEmpty",
    };

    /// <summary>
    /// A store of an array or object into shadowed memory whose own shadow is known (or of null): forward mode stores
    /// that shadow into the shadow memory, so the shadow structure changes with the primal's.
    /// </summary>
    public bool IsStructureStore(Instruction instruction) =>
        instruction.Opcode is Opcode.Store or Opcode.StoreElement or Opcode.StoreField && Contains(instruction.Operands[0])
        && instruction.Operands[instruction.Operands.Count - 1] is var stored && IsPointer(stored.Type)
        && (stored is Constant { Payload: null } || Contains(stored));

    /// <summary>The access <paramref name="instruction"/> makes to shadowed memory, or null.</summary>
    public MemoryAccess? AccessOf(Instruction instruction) =>
        MemoryAccess.Of(instruction) is { } access && Contains(access.Pointer) ? access : null;
}
