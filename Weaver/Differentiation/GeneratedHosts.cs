using System.Linq;
using Autodiff.Weaver.Loading;
using Mono.Cecil;

namespace Autodiff.Weaver.Differentiation;

/// <summary>
/// The internal static classes of the woven module that hold generated methods with no user type to live in
/// (derivatives of other assemblies' callees, delegate dispatchers): found by name, or added once, compiler-generated.
/// </summary>
internal static class GeneratedHosts
{
    public static TypeDefinition GetOrAdd(ModuleDefinition module, string name)
    {
        var host = module.Types.FirstOrDefault(t => t.Namespace.Length == 0 && t.Name == name);
        if (host != null)
            return host;
        // `static class` in metadata: abstract + sealed (ECMA-335 §II.10.1).
        host = new TypeDefinition(string.Empty, name, TypeAttributes.NotPublic | TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.BeforeFieldInit | TypeAttributes.Class, module.TypeSystem.Object);
        host.CustomAttributes.Add(WellKnownTypes.CompilerGenerated(module));
        module.Types.Add(host);
        return host;
    }
}
