using System.Linq;
using Mono.Cecil;

namespace Autodiff.Weaver.Pipeline;

/// <summary>
/// An empty type <c>&lt;Autodiff&gt;Woven</c> that the weaver adds to every module it has woven, so that a
/// second run (a rebuild that skipped compilation, or <c>adweave</c> on its own output) leaves it alone
/// instead of finding every stub already filled. The name is not valid C#, like <c>&lt;Module&gt;</c>, so no
/// user type can collide with it.
/// </summary>
public static class WovenMarker
{
    public const string TypeName = "<Autodiff>Woven";

    public static bool IsWoven(ModuleDefinition module) =>
        module.Types.Any(t => t.Namespace.Length == 0 && t.Name == TypeName);

    public static void Mark(ModuleDefinition module)
    {
        // `static class` in metadata: abstract + sealed, never instantiated (ECMA-335 §II.10.1).
        var marker = new TypeDefinition(
            string.Empty,
            TypeName,
            TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit,
            ObjectType(module));
        marker.CustomAttributes.Add(new CustomAttribute(CompilerGeneratedConstructor(module)));
        module.Types.Add(marker);
    }

    // FodyHelpers marks Cecil's TypeSystem obsolete in favour of Fody's; the marker is also written by
    // adweave and tests, outside Fody.
#pragma warning disable CS0618
    private static TypeReference ObjectType(ModuleDefinition module) => module.TypeSystem.Object;

    private static MethodReference CompilerGeneratedConstructor(ModuleDefinition module)
    {
        // The attribute lives in the module's own core library (System.Runtime, netstandard or mscorlib all
        // define or forward it), never in the weaver's.
        var attribute = new TypeReference(
            "System.Runtime.CompilerServices", "CompilerGeneratedAttribute", module, module.TypeSystem.CoreLibrary);
        return new MethodReference(".ctor", module.TypeSystem.Void, attribute) { HasThis = true };
    }
#pragma warning restore CS0618
}
