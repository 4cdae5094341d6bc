using System.Collections.Generic;

namespace Autodiff.Weaver.Ir;

/// <summary>Traits of every opcode, declared once (ILSpy's instruction table idea).</summary>
public sealed class OpcodeInfo
{
    private OpcodeInfo(string mnemonic, bool isTerminator, bool hasSideEffects, bool mayThrow)
    {
        Mnemonic = mnemonic;
        IsTerminator = isTerminator;
        HasSideEffects = hasSideEffects;
        MayThrow = mayThrow;
    }

    public string Mnemonic { get; }

    /// <summary>Ends a block; nothing may follow it.</summary>
    public bool IsTerminator { get; }

    /// <summary>Writes memory, calls, or transfers control: may not be removed or reordered.</summary>
    public bool HasSideEffects { get; }

    public bool MayThrow { get; }

    public static OpcodeInfo Of(Opcode opcode) => Table[opcode];

    private static OpcodeInfo Pure(string m) => new(m, false, false, false);
    private static OpcodeInfo Throwing(string m) => new(m, false, false, true);
    private static OpcodeInfo Effect(string m) => new(m, false, true, true);
    private static OpcodeInfo Terminator(string m) => new(m, true, true, false);

    private static readonly Dictionary<Opcode, OpcodeInfo> Table = new()
    {
        [Opcode.Phi] = Pure("phi"),
        [Opcode.Add] = Pure("add"),
        [Opcode.Sub] = Pure("sub"),
        [Opcode.Mul] = Pure("mul"),
        [Opcode.Div] = Throwing("div"),
        [Opcode.DivUn] = Throwing("div.un"),
        [Opcode.Rem] = Throwing("rem"),
        [Opcode.RemUn] = Throwing("rem.un"),
        [Opcode.AddOvf] = Throwing("add.ovf"),
        [Opcode.AddOvfUn] = Throwing("add.ovf.un"),
        [Opcode.SubOvf] = Throwing("sub.ovf"),
        [Opcode.SubOvfUn] = Throwing("sub.ovf.un"),
        [Opcode.MulOvf] = Throwing("mul.ovf"),
        [Opcode.MulOvfUn] = Throwing("mul.ovf.un"),
        [Opcode.And] = Pure("and"),
        [Opcode.Or] = Pure("or"),
        [Opcode.Xor] = Pure("xor"),
        [Opcode.Shl] = Pure("shl"),
        [Opcode.Shr] = Pure("shr"),
        [Opcode.ShrUn] = Pure("shr.un"),
        [Opcode.Neg] = Pure("neg"),
        [Opcode.Not] = Pure("not"),
        [Opcode.Compare] = Pure("cmp"),
        [Opcode.Convert] = Throwing("conv"),
        [Opcode.CheckFinite] = Throwing("ckfinite"),
        [Opcode.StackSlot] = Pure("slot"),
        [Opcode.Load] = Throwing("load"),
        [Opcode.Store] = Effect("store"),
        [Opcode.FieldAddress] = Throwing("field.addr"),
        [Opcode.StaticFieldAddress] = Pure("static.addr"),
        [Opcode.ElementAddress] = Throwing("element.addr"),
        [Opcode.LoadField] = Throwing("load.field"),
        [Opcode.StoreField] = Effect("store.field"),
        [Opcode.LoadStaticField] = Throwing("load.static"),
        [Opcode.StoreStaticField] = Effect("store.static"),
        [Opcode.LoadElement] = Throwing("load.element"),
        [Opcode.StoreElement] = Effect("store.element"),
        [Opcode.ArrayLength] = Throwing("length"),
        [Opcode.NewArray] = Effect("new.array"),
        [Opcode.InitObject] = Effect("init.object"),
        [Opcode.CopyObject] = Effect("copy.object"),
        [Opcode.CopyBlock] = Effect("copy.block"),
        [Opcode.InitBlock] = Effect("init.block"),
        [Opcode.LocalAlloc] = Effect("localloc"),
        [Opcode.SizeOf] = Pure("sizeof"),
        [Opcode.NewObject] = Effect("new"),
        [Opcode.Call] = Effect("call"),
        [Opcode.CallVirtual] = Effect("callvirt"),
        [Opcode.CallIndirect] = Effect("calli"),
        [Opcode.Box] = Effect("box"),
        [Opcode.Unbox] = Throwing("unbox"),
        [Opcode.UnboxAny] = Throwing("unbox.any"),
        [Opcode.CastClass] = Throwing("castclass"),
        [Opcode.IsInstance] = Pure("isinst"),
        [Opcode.LoadToken] = Pure("ldtoken"),
        [Opcode.LoadFunction] = Pure("ldftn"),
        [Opcode.LoadVirtualFunction] = Throwing("ldvirtftn"),
        [Opcode.MakeTypedReference] = Pure("mkrefany"),
        [Opcode.TypedReferenceValue] = Throwing("refanyval"),
        [Opcode.TypedReferenceType] = Pure("refanytype"),
        [Opcode.ArgumentList] = Pure("arglist"),
        [Opcode.ExceptionObject] = Pure("exception"),
        [Opcode.Branch] = Terminator("br"),
        [Opcode.BranchIf] = Terminator("br.if"),
        [Opcode.Switch] = Terminator("switch"),
        [Opcode.Return] = Terminator("ret"),
        [Opcode.Leave] = Terminator("leave"),
        [Opcode.EndFinally] = Terminator("endfinally"),
        [Opcode.EndFilter] = Terminator("endfilter"),
        [Opcode.Throw] = Terminator("throw"),
        [Opcode.Rethrow] = Terminator("rethrow"),
        [Opcode.Jump] = Terminator("jmp"),
    };
}
