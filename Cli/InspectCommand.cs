using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Reflection.Metadata.Ecma335;
using Autodiff.Weaver.Diagnostics;
using Autodiff.Weaver.Differentiation;
using Autodiff.Weaver.Frontend;
using Autodiff.Weaver.Ir;
using Autodiff.Weaver.Loading;
using Autodiff.Weaver.Pipeline;
using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using Mono.Cecil;

namespace Autodiff.Cli;

/// <summary>
/// <c>adweave inspect &lt;assembly&gt; &lt;method&gt; [--as il|csharp|ir] [--after lift|ad]</c>: shows a method as
/// CIL, as decompiled C#, or as IR after a pipeline stage (ILSpy's habit of dumping after any transform).
/// </summary>
internal static class InspectCommand
{
    /// <summary>Stages whose IR <c>--after</c> can show, in pipeline order.</summary>
    private static readonly string[] Stages = { "lift", "ad" };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var assembly = new Argument<string>("assembly") { Description = "The assembly to read" };
        var method = new Argument<string>("method") { Description = "Namespace.Type::Method, Type.Method or Method (every overload is shown)" };
        var format = new Option<string>("--as") { Description = "il, csharp or ir", DefaultValueFactory = _ => "il" };
        format.AcceptOnlyFromAmong("il", "csharp", "ir");
        var stage = new Option<string?>("--after") { Description = "With --as ir: the stage after which to show the IR: " + string.Join(", ", Stages) };
        stage.AcceptOnlyFromAmong(Stages);
        var references = CommonOptions.References();
        var command = new Command("inspect", "Show a method as CIL, C# or IR") { assembly, method, format, stage, references };
        command.SetAction(parsed =>
        {
            var path = parsed.GetValue(assembly)!;
            var display = parsed.GetValue(format)!;
            var after = parsed.GetValue(stage);
            if (after != null && display != "ir")
                throw new UsageException("--after applies to --as ir only");
            using var module = AssemblyFiles.Read(path, parsed.GetValue(references) ?? []);
            var methods = MethodNames.Find(module, parsed.GetValue(method)!);
            if (methods.Count == 0)
                throw new UsageException($"no method named '{parsed.GetValue(method)}' in {path}");
            switch (display)
            {
                case "csharp":
                    WriteCSharp(path, methods, output);
                    return ExitCode.Success;
                case "ir":
                    return WriteIr(module, methods, after ?? "lift", output, error);
                default:
                    foreach (var m in methods)
                        output.Write(CilListing.Print(m));
                    return ExitCode.Success;
            }
        });
        return command;
    }

    private static void WriteCSharp(string path, IEnumerable<MethodDefinition> methods, TextWriter output)
    {
        var decompiler = new CSharpDecompiler(path, new DecompilerSettings { ThrowOnAssemblyResolveErrors = false });
        foreach (var method in methods)
            output.Write(decompiler.DecompileAsString(MetadataTokens.EntityHandle(method.MetadataToken.ToInt32())));
    }

    private static int WriteIr(ModuleDefinition module, IReadOnlyList<MethodDefinition> methods, string after, TextWriter output, TextWriter error)
    {
        if (after == "lift")
        {
            var failures = new List<Diagnostic>();
            foreach (var method in methods)
            {
                try
                {
                    output.Write(IrPrinter.Print(MethodLifter.Lift(method)));
                }
                catch (WeaverException e)
                {
                    failures.Add(FailureReport.Of(e, method));
                }
            }
            return Adweave.Report(failures, error) ? ExitCode.DiagnosticsReported : ExitCode.Success;
        }

        // After AD: the derivative of every request whose primal or derivative is one of the methods.
        var discovery = RequestDiscovery.Discover(module, alreadyWoven: WovenMarker.IsWoven(module));
        var requests = discovery.Requests.Where(r => methods.Contains(r.Primal) || methods.Contains(r.Derivative)).ToList();
        if (requests.Count == 0)
            throw new UsageException($"{MethodNames.Display(methods[0])} is neither the primal nor the derivative of an [Autodiff] request");
        var diagnostics = new List<Diagnostic>(discovery.Diagnostics);
        foreach (var request in requests)
        {
            try
            {
                output.Write(IrPrinter.Print(DerivativeSynthesizer.Synthesize(MethodLifter.Lift(request.Primal), request, new WeaverOptions())));
            }
            catch (WeaverException e)
            {
                diagnostics.Add(FailureReport.Of(e, request.Primal));
            }
        }
        return Adweave.Report(diagnostics, error) ? ExitCode.DiagnosticsReported : ExitCode.Success;
    }
}
