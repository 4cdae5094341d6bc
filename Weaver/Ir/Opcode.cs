namespace Autodiff.Weaver.Ir;

/// <summary>The IR instruction set. Traits live in <see cref="OpcodeInfo"/>, declared once as a table.</summary>
public enum Opcode
{
    // SSA
    Phi,

    // Arithmetic (operands are numbers of the same stack kind, or a pointer and an integer)
    Add, Sub, Mul, Div, DivUn, Rem, RemUn,
    AddOvf, AddOvfUn, SubOvf, SubOvfUn, MulOvf, MulOvfUn,
    And, Or, Xor, Shl, Shr, ShrUn,
    Neg, Not,
    Compare,        // Predicate; yields int32 0/1 (the frontend types it, and and/or/xor/phi of bools, bool when
                    // stored to a bool local or argument)
    Convert,        // TypeOperand = target; Flags: Checked, UnsignedSource
    CheckFinite,

    // Memory: locals and arguments whose address is taken live in stack slots
    StackSlot,      // TypeOperand = slot type; yields T&; only in the entry block. The frontend makes one per
                    // address-taken, pinned or region-crossing local/argument (arguments are stored into theirs at entry)
    Load,           // [address]; TypeOperand = loaded type
    Store,          // [address, value]; TypeOperand = stored type
    FieldAddress,   // [object or address]; Member = field
    StaticFieldAddress,
    ElementAddress, // [array, index]; TypeOperand = element type
    LoadField,      // [object, address or struct value]; Member = field
    StoreField,     // [object or address, value]; Member = field
    LoadStaticField,
    StoreStaticField, // [value]
    LoadElement,    // [array, index]; TypeOperand = element type
    StoreElement,   // [array, index, value]; TypeOperand = element type
    ArrayLength,
    NewArray,       // [length]; TypeOperand = element type
    InitObject,     // [address]; TypeOperand
    CopyObject,     // [destination, source]; TypeOperand
    CopyBlock,      // [destination, source, size]
    InitBlock,      // [address, value, size]
    LocalAlloc,     // [size]; yields void*
    SizeOf,         // TypeOperand; yields uint32

    // Objects and calls
    NewObject,      // Member = constructor; operands = arguments
    Call,           // Member = method; operands = arguments (receiver first); TypeOperand = constrained type or null
    CallVirtual,
    CallIndirect,   // Signature; operands = arguments then function pointer
    Box, Unbox, UnboxAny, CastClass, IsInstance, // [value]; TypeOperand; Box and casts to value types yield object, Unbox yields T&
    LoadToken,      // Member or TypeOperand; yields System.Runtime{Type,Method,Field}Handle
    LoadFunction,   // Member = method
    LoadVirtualFunction, // [object]; Member = method
    MakeTypedReference, // [address]; TypeOperand
    TypedReferenceValue, // [typedref]; TypeOperand
    TypedReferenceType,  // [typedref]
    ArgumentList,
    ExceptionObject, // first instruction of a catch, filter or filtered-catch entry: the caught exception
                     // (typed as the catch type; object in filters and filtered catches)

    // Terminators
    Branch,         // Targets[0]
    BranchIf,       // [condition]; Targets = [whenNonZero, whenZero]
    Switch,         // [index]; Targets = cases..., default last
    Return,         // [value]?
    Leave,          // Targets[0], in an enclosing region
    EndFinally,
    EndFilter,      // [condition]
    Throw,          // [exception]
    Rethrow,
    Jump,           // Member = method (CIL jmp)
}
