namespace Autodiff.Weaver.Diagnostics;

/// <summary>
/// Stable diagnostic ids (ILLink's habit): AD1xxx requests and signatures, AD2xxx unsupported constructs,
/// AD3xxx missing bodies or rules, AD9xxx internal errors. Ids are never reused; retired ones stay listed.
/// </summary>
public enum DiagnosticCode
{
    // AD1xxx — requests and signatures
    /// <summary>The number of activities differs from parameters (+ this) + return.</summary>
    WrongActivityCount = 1001,
    /// <summary>An activity does not fit the parameter's type or the mode.</summary>
    ActivityDoesNotFit = 1002,
    /// <summary>The derivative stub's signature differs from the rules.</summary>
    StubSignatureMismatch = 1003,
    /// <summary>Form 2 names a primal that does not exist or is ambiguous.</summary>
    PrimalNotFound = 1004,
    /// <summary>Form 1 names a derivative that is declared with a body (not a stub).</summary>
    DerivativeHasBody = 1005,
    /// <summary>Width must be at least 1.</summary>
    InvalidWidth = 1006,
    /// <summary>A form-2 stub is not static, or not extern/partial.</summary>
    InvalidStub = 1007,
    /// <summary>Two requests fill the same derivative.</summary>
    DuplicateDerivative = 1008,
    /// <summary>The primal (or its declaring type) is generic; not supported yet.</summary>
    GenericPrimal = 1009,
    /// <summary>An [Autodiff] whose arguments cannot be read (Autodiff.dll, which defines its enums, does not resolve).</summary>
    UnreadableAttribute = 1010,
    /// <summary>A stub marked [GeneratedCode("Autodiff", …)] that no [Autodiff] names: it would stay un-woven.</summary>
    OrphanStub = 1011,

    // AD2xxx — unsupported constructs
    /// <summary>A CIL instruction the frontend cannot lift.</summary>
    UnsupportedInstruction = 2001,
    /// <summary>An operation with no derivative rule yet.</summary>
    UnsupportedOperation = 2002,
    /// <summary>Control flow the differentiator does not handle yet.</summary>
    UnsupportedControlFlow = 2003,
    /// <summary>Memory operations on active values the differentiator does not handle yet.</summary>
    UnsupportedMemory = 2004,
    /// <summary>A Duplicated/Dual parameter whose type has no shadow support yet.</summary>
    UnsupportedShadowType = 2201,
    /// <summary>Shadowed memory reached through a reference the differentiator cannot follow.</summary>
    UnfollowedShadow = 2202,
    /// <summary>An active value written to a static field (static fields have no shadow).</summary>
    ActiveStaticField = 2203,
    /// <summary>Shadowed memory passed to a call (interprocedural shadows are not supported yet).</summary>
    ShadowedMemoryInCall = 2204,
    /// <summary>An Active or Dual value (parameter or return) that is neither float, double nor a struct of them with accessible fields.</summary>
    UnsupportedDifferentiableValue = 2205,
    /// <summary>An array or object stored into shadowed memory (the shadow's structure would no longer match).</summary>
    ShadowStructureChanged = 2206,
    /// <summary>No longer emitted (reverse mode now records such shadows): an allocation inside a loop or not dominating every return.</summary>
    ShadowAllocationInLoop = 2207,
    /// <summary>A struct holding active values passed on whole (to a call or an instance method of the struct).</summary>
    StructKeptWhole = 2208,
    /// <summary>Reverse mode: a stackalloc'd span holding active values allocated in a loop or not dominating every return.</summary>
    StackAllocationInLoop = 2209,
    /// <summary>Active values reach an object created by <c>new C(args)</c> whose constructor does work and cannot be inlined.</summary>
    ConstructorNotInlined = 2210,
    /// <summary>A math function the rule table leaves out on purpose (Math.SinCos: a tuple result).</summary>
    LeftOutFunction = 2301,
    /// <summary>Higher order: a differentiated call reaches a derivative whose construction needs the derivative being built (a cycle).</summary>
    DerivativeCycle = 2501,
    /// <summary>Higher order: a differentiated call reaches a derivative whose own synthesis failed.</summary>
    InnerDerivativeFailed = 2502,
    /// <summary>Higher order: a differentiated call reaches a derivative whose result is a ValueTuple.</summary>
    TupleDerivativeCallee = 2504,
    /// <summary>Higher order: a derivative differentiated again writes derivative-carrying values into an array its caller passes without a shadow.</summary>
    ConstDerivativeOutput = 2505,
    /// <summary>Warning: the woven derivative passes a size limit above which the .NET JIT does not optimize (MinOpts).</summary>
    DerivativeTooLargeToOptimize = 2520,

    // AD3xxx — missing bodies or rules
    /// <summary>A differentiated call has no IL body and no rule.</summary>
    MissingBody = 3001,
    /// <summary>A differentiated callee writes memory or has other side effects, which recomputing it in the derivative would repeat.</summary>
    CalleeWritesMemory = 3002,
    /// <summary>A virtual or interface call whose target is not known at weave time.</summary>
    UnknownCallTarget = 3003,
    /// <summary>A call the differentiator cannot follow yet (generic instantiation, generic declaring type, too many active arguments).</summary>
    UnsupportedCall = 3004,
    /// <summary>A [ForwardRule]/[ReverseRule] whose target or signature does not fit (the message prints the expected signature).</summary>
    InvalidCustomRule = 3005,
    /// <summary>Reverse mode through a split callee that stackallocs memory carrying derivatives (its shadow, a stack slot, cannot reach the reverse half).</summary>
    SplitCalleeAllocates = 3006,
    /// <summary>A differentiated call receives a local of float, double or struct type by reference (ref/out/in).</summary>
    LocalPassedByReference = 3007,
    /// <summary>A BCL member carrying derivatives with neither a rule nor IL the weaver lifts (List&lt;T&gt;, System.Numerics vectors, Complex, span methods).</summary>
    UnsupportedBclMember = 3020,
    /// <summary>A delegate invoked with derivatives, not created in the differentiated method, whose type has by-reference or generic parameters.</summary>
    UnknownDelegateTarget = 3021,
    /// <summary>A delegate over a closure holding active values that leaves the differentiated method: passed to a helper that cannot be inlined, or stored.</summary>
    DelegateCapturesActiveValues = 3022,
    /// <summary>A callee whose returned array carries a shadow back returns an array that has none (a Const parameter, a static field).</summary>
    ReturnedArrayWithoutShadow = 3030,
    /// <summary>Reverse mode through a split callee returning an object (not an array of float/double) that carries derivatives.</summary>
    ReturnedObjectWithShadow = 3031,

    // AD9xxx — internal errors
    /// <summary>The weaver failed; an IR dump was written.</summary>
    InternalError = 9001,
    /// <summary>The backend met an IR construct it cannot express in CIL (e.g. a constant of an unknown kind).</summary>
    UnsupportedForLowering = 9002,
    /// <summary>The backend met IR that breaks an invariant (a block without terminator, a phi in a handler entry, ...).</summary>
    MalformedIrForLowering = 9003,
    /// <summary>The backend failed on a method for a reason it did not anticipate (a backend bug); the message names it.</summary>
    LoweringFailed = 9004,
    /// <summary>Info: the module already carries the woven marker, so weaving it again does nothing.</summary>
    AlreadyWoven = 9101,
    /// <summary>The configuration (FodyWeavers.xml or adweave options) names a flag that does not exist.</summary>
    UnknownFlag = 9102,
    /// <summary>Info: what round-trip mode rebuilt, and why it left the other methods unchanged.</summary>
    RoundTripSummary = 9103,
}
