using Autodiff.Weaver.Ir;
using Mono.Cecil;

namespace Autodiff.Tests.Ir;

/// <summary>An empty module to build hand-written IR in.</summary>
internal static class IrFixture
{
    private static readonly ModuleDefinition Module = ModuleDefinition.CreateModule("IrFixture", ModuleKind.Dll);

    public static IrMethod NewMethod(string name = "M") => new(Module, name, new IrTypes(Module).Double);
}
