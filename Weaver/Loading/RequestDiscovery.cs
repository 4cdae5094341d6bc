using System;
using System.Collections.Generic;
using System.Linq;
using Autodiff.Weaver.Diagnostics;
using Mono.Cecil;

namespace Autodiff.Weaver.Loading;

/// <summary>
/// Finds every <c>[Autodiff]</c> in a module, validates it against DESIGN §1, and pairs each primal with the
/// derivative method that will receive its body (a declared stub, or one added here for form 1). Every problem
/// of every request is reported; only requests without problems are returned.
/// </summary>
public static class RequestDiscovery
{
    /// <summary>
    /// The requests of a module about to be woven: each derivative is made ready for its body (form-1
    /// derivatives nobody declared are added), so the module must be written only after every body is filled.
    /// </summary>
    public static (IReadOnlyList<DifferentiationRequest> Requests, IReadOnlyList<Diagnostic> Diagnostics) Discover(ModuleDefinition module) =>
        Discover(module, alreadyWoven: false);

    /// <summary>
    /// With <paramref name="alreadyWoven"/> (the module was written by the weaver before, e.g. <c>adweave list</c>
    /// on its output), derivatives with bodies are the woven ones: they are accepted and left untouched, and
    /// nothing is added to the module.
    /// </summary>
    public static (IReadOnlyList<DifferentiationRequest> Requests, IReadOnlyList<Diagnostic> Diagnostics) Discover(ModuleDefinition module, bool alreadyWoven)
    {
        var requests = new List<DifferentiationRequest>();
        var diagnostics = new List<Diagnostic>();
        var claimed = new Dictionary<MethodDefinition, MethodDefinition>();
        var types = module.GetTypes().ToList();
        foreach (var type in types)
        {
            foreach (var method in type.Methods.ToList())
            {
                foreach (var custom in AutodiffAttributeData.On(method).ToList())
                {
                    var attribute = AutodiffAttributeData.Read(custom);
                    if (attribute == null)
                    {
                        var reason = custom.Constructor.Parameters.Count is 3 or 4
                            ? $"{custom.AttributeType.Scope.Name}, which defines Autodiff.Mode and Autodiff.Activity, was not found; pass it as a reference (adweave -r) or place it beside the assembly"
                            : "its constructor is neither (string, Mode, Activity[]) nor (Type, string, Mode, Activity[]); use Autodiff.dll's attribute";
                        diagnostics.Add(SourceLocations.Error(DiagnosticCode.UnreadableAttribute, $"the [Autodiff] on {method.Name} cannot be read: {reason}", method));
                        continue;
                    }
                    var request = new RequestValidation(module, method, attribute, claimed, alreadyWoven).Run(diagnostics);
                    if (request != null)
                        requests.Add(request);
                }
            }
        }
        foreach (var type in types)
            ReportOrphanStubs(type, diagnostics);
        return (requests, diagnostics);
    }

    /// <summary>
    /// An Autodiff stub that no attribute names would stay un-woven and fail at run time (an <c>extern</c> stub
    /// cannot even be loaded); DESIGN §1 makes that a build error. Stubs whose request failed are already reported.
    /// </summary>
    private static void ReportOrphanStubs(TypeDefinition type, List<Diagnostic> diagnostics)
    {
        var named = new HashSet<string>(type.Methods
            .SelectMany(AutodiffAttributeData.On)
            .Select(AutodiffAttributeData.Read)
            .Where(a => a is { IsForm2: false })
            .Select(a => a!.DerivativeName ?? ""));
        foreach (var method in type.Methods)
        {
            if (!DerivativeMethods.IsMarked(method) || !DerivativeMethods.IsStub(method) || named.Contains(method.Name) || AutodiffAttributeData.On(method).Any())
                continue;
            diagnostics.Add(SourceLocations.Error(DiagnosticCode.OrphanStub,
                $"{method.Name} is an Autodiff stub, but no [Autodiff] names it, so it would never be filled; name it in a form-1 [Autodiff] on its primal, put a form-2 [Autodiff] on it, or delete it",
                method));
        }
    }

    /// <summary>The checks of one attribute; collects every problem before giving up.</summary>
    private sealed class RequestValidation
    {
        private readonly ModuleDefinition module;
        private readonly MethodDefinition attributed;
        private readonly AutodiffAttributeData attribute;
        private readonly Dictionary<MethodDefinition, MethodDefinition> claimed;
        private readonly bool alreadyWoven;
        private readonly List<Diagnostic> problems = new();

        public RequestValidation(ModuleDefinition module, MethodDefinition attributed, AutodiffAttributeData attribute, Dictionary<MethodDefinition, MethodDefinition> claimed, bool alreadyWoven)
        {
            this.module = module;
            this.attributed = attributed;
            this.attribute = attribute;
            this.claimed = claimed;
            this.alreadyWoven = alreadyWoven;
        }

        private string What => attribute.IsForm2
            ? $"[Autodiff(typeof({attribute.PrimalType?.Name}), \"{attribute.PrimalName}\", …)] on {attributed.Name}"
            : $"[Autodiff(\"{attribute.DerivativeName}\", …)] on {attributed.Name}";

        public DifferentiationRequest? Run(List<Diagnostic> diagnostics)
        {
            var request = Validate();
            diagnostics.AddRange(problems);
            return problems.Count == 0 ? request : null;
        }

        private void Report(DiagnosticCode code, string message) =>
            problems.Add(SourceLocations.Error(code, What + ": " + message, attributed));

        private DifferentiationRequest? Validate()
        {
            var mode = CheckMode();
            var activities = CheckActivityValues();
            if (attribute.Width < 1)
                Report(DiagnosticCode.InvalidWidth, $"Width is {attribute.Width}; it is the number of directions one call computes and must be at least 1 (omit it for 1)");
            if (attribute.IsForm2)
                CheckForm2Stub();

            var primal = attribute.IsForm2 ? FindForm2Primal(mode, activities) : attributed;
            if (primal == null)
                return null;
            if (primal.HasGenericParameters || primal.DeclaringType.HasGenericParameters)
            {
                Report(DiagnosticCode.GenericPrimal, $"{primal.DeclaringType.Name}.{primal.Name} is generic, and generic primals are not supported yet; differentiate a non-generic method that calls it with concrete types");
                return null;
            }
            if (mode == null || activities == null || !CheckActivityCount(primal, activities))
                return null;

            var (parameterActivities, returnActivity) = PrimalSlot.SplitActivities(primal, activities);
            if (!CheckActivitiesFit(primal, mode.Value, parameterActivities, returnActivity) || attribute.Width < 1)
                return null;

            var signature = DerivativeSignatureBuilder.Build(primal, mode.Value, parameterActivities, returnActivity, attribute.Width, attribute.IsForm2, module);
            var derivative = attribute.IsForm2 ? CheckForm2Signature(signature) : FindOrAddForm1Derivative(primal, signature);
            if (derivative == null || problems.Count > 0)
                return null;
            if (claimed.TryGetValue(derivative, out var other))
            {
                Report(DiagnosticCode.DuplicateDerivative, $"{derivative.Name} is already filled by the [Autodiff] on {other.DeclaringType.Name}.{other.Name}; give each request its own derivative method");
                return null;
            }
            claimed.Add(derivative, attributed);
            if (!alreadyWoven)
                DerivativeMethods.PrepareForBody(derivative);
            return new DifferentiationRequest(primal, derivative, mode.Value, parameterActivities, returnActivity, attribute.Width, signature, attribute.IsForm2);
        }

        private DerivativeMode? CheckMode()
        {
            if (Enum.IsDefined(typeof(DerivativeMode), attribute.Mode))
                return (DerivativeMode)attribute.Mode;
            Report(DiagnosticCode.ActivityDoesNotFit, $"mode {attribute.Mode} is not a value of Autodiff.Mode; use Mode.Forward or Mode.Reverse");
            return null;
        }

        private IReadOnlyList<ActivityKind>? CheckActivityValues()
        {
            var valid = true;
            for (var i = 0; i < attribute.Activities.Count; i++)
            {
                if (Enum.IsDefined(typeof(ActivityKind), attribute.Activities[i]))
                    continue;
                Report(DiagnosticCode.ActivityDoesNotFit, $"activity {i + 1} is {attribute.Activities[i]}, not a value of Autodiff.Activity; use one of {string.Join(", ", Enum.GetNames(typeof(ActivityKind)))}");
                valid = false;
            }
            return valid ? attribute.Activities.Select(a => (ActivityKind)a).ToList() : null;
        }

        private bool CheckActivityCount(MethodDefinition primal, IReadOnlyList<ActivityKind> activities)
        {
            var expected = PrimalSlot.ActivityCount(primal);
            if (activities.Count == expected)
                return true;
            var slots = PrimalSlot.Of(primal, attribute.IsForm2).Select(s => s.Name).ToList();
            if (PrimalSlot.ReturnsValue(primal))
                slots.Add("return");
            Report(DiagnosticCode.WrongActivityCount,
                $"{primal.Name} needs {expected} activities ({string.Join(", ", slots)}) but {activities.Count} are given; " +
                "give one activity per parameter, `this` first for instance methods, then one for a non-void return value");
            return false;
        }

        private bool CheckActivitiesFit(MethodDefinition primal, DerivativeMode mode, IReadOnlyList<ActivityKind> parameterActivities, ActivityKind? returnActivity)
        {
            var fits = true;
            foreach (var slot in PrimalSlot.Of(primal, attribute.IsForm2))
            {
                var reason = ActivityRules.Check(parameterActivities[slot.Index], slot.Type, mode, isReturn: false);
                if (reason == null)
                    continue;
                Report(DiagnosticCode.ActivityDoesNotFit, $"activity {slot.Index + 1} ({parameterActivities[slot.Index]}) does not fit parameter `{CSharpSignatureFormatter.TypeName(slot.Type)} {slot.Name}` in {mode} mode: {reason}");
                fits = false;
            }
            if (returnActivity is { } activity && ActivityRules.Check(activity, primal.ReturnType, mode, isReturn: true) is { } returnReason)
            {
                Report(DiagnosticCode.ActivityDoesNotFit, $"the return activity ({activity}) does not fit the return type `{CSharpSignatureFormatter.TypeName(primal.ReturnType)}` in {mode} mode: {returnReason}");
                fits = false;
            }
            return fits;
        }

        private void CheckForm2Stub()
        {
            if (!attributed.IsStatic)
                Report(DiagnosticCode.InvalidStub, $"{attributed.Name} must be static: a form-2 derivative takes an instance primal's receiver as its first parameter; add `static`");
            if (!alreadyWoven && !DerivativeMethods.IsStub(attributed))
                Report(DiagnosticCode.InvalidStub, $"{attributed.Name} has a body, but a form-2 derivative must be a bodiless `static extern` (or generator-implemented `static partial`) declaration the weaver fills; remove the body and add `extern`");
        }

        /// <summary>The named method; among overloads, the one whose activity count and expected signature fit the stub.</summary>
        private MethodDefinition? FindForm2Primal(DerivativeMode? mode, IReadOnlyList<ActivityKind>? activities)
        {
            var primalName = attribute.PrimalName ?? "";
            if (attribute.PrimalType == null)
            {
                Report(DiagnosticCode.PrimalNotFound, "the primal type is null; pass typeof(TheTypeDeclaringThePrimal)");
                return null;
            }
            var type = TryResolve(attribute.PrimalType);
            if (type == null)
            {
                Report(DiagnosticCode.PrimalNotFound, $"cannot load type {attribute.PrimalType.FullName} from {attribute.PrimalType.Scope.Name}; pass its assembly as a reference (adweave -r, or a project reference)");
                return null;
            }
            var candidates = type.Methods.Where(m => m.Name == primalName && m != attributed).ToList();
            if (candidates.Count == 0)
            {
                Report(DiagnosticCode.PrimalNotFound, $"{type.FullName} has no method named `{primalName}`; name an existing method (use nameof)");
                return null;
            }
            if (candidates.Count == 1)
                return candidates[0];
            var count = attribute.Activities.Count;
            var byCount = candidates.Where(m => PrimalSlot.ActivityCount(m) == count).ToList();
            if (byCount.Count > 1 && mode != null && activities != null)
                byCount = byCount.Where(m => MatchesStub(m, mode.Value, activities)).ToList();
            if (byCount.Count == 1)
                return byCount[0];
            var overloads = string.Join("; ", candidates.Select(m => CSharpSignatureFormatter.ToCSharp(m)));
            Report(DiagnosticCode.PrimalNotFound, byCount.Count == 0
                ? $"no overload of {type.Name}.{primalName} fits {count} activities and this stub's signature; overloads: {overloads}"
                : $"{type.Name}.{primalName} is ambiguous: several overloads fit {count} activities and this stub's signature ({overloads}); rename one of them");
            return null;
        }

        /// <summary>Whether <paramref name="candidate"/>'s form-2 derivative would have the stub's signature.</summary>
        private bool MatchesStub(MethodDefinition candidate, DerivativeMode mode, IReadOnlyList<ActivityKind> activities)
        {
            if (candidate.HasGenericParameters || attribute.Width < 1)
                return false;
            var (parameterActivities, returnActivity) = PrimalSlot.SplitActivities(candidate, activities);
            var slots = PrimalSlot.Of(candidate, receiverIsExplicit: true);
            if (slots.Any(s => ActivityRules.Check(parameterActivities[s.Index], s.Type, mode, false) != null))
                return false;
            var signature = DerivativeSignatureBuilder.Build(candidate, mode, parameterActivities, returnActivity, attribute.Width, receiverIsExplicit: true, module);
            return DerivativeMethods.Matches(attributed, signature);
        }

        private MethodDefinition? CheckForm2Signature(DerivativeSignature signature)
        {
            if (!attributed.IsStatic || DerivativeMethods.Matches(attributed, signature))
                return attributed;
            Report(DiagnosticCode.StubSignatureMismatch, Mismatch(attributed, signature, isStatic: true, CSharpSignatureFormatter.Accessibility(attributed)));
            return null;
        }

        private MethodDefinition? FindOrAddForm1Derivative(MethodDefinition primal, DerivativeSignature signature)
        {
            var name = attribute.DerivativeName ?? "";
            if (name.Length == 0)
            {
                Report(DiagnosticCode.StubSignatureMismatch, "the derivative name is empty; name the method to generate (e.g. nameof(DF))");
                return null;
            }
            var type = primal.DeclaringType;
            var candidates = type.Methods.Where(m => m.Name == name).ToList();
            if (candidates.Count == 0 && alreadyWoven)
            {
                Report(DiagnosticCode.StubSignatureMismatch, $"the assembly is marked as woven, but {type.Name} has no derivative `{name}`; rebuild it from source and weave it again");
                return null;
            }
            if (candidates.Count == 0)
                return DerivativeMethods.Add(type, name, signature);
            var match = candidates.FirstOrDefault(m => DerivativeMethods.Matches(m, signature));
            if (match == null)
            {
                var accessibility = candidates.Count == 1 ? CSharpSignatureFormatter.Accessibility(candidates[0]) : "public";
                Report(DiagnosticCode.StubSignatureMismatch, Mismatch(candidates[0], signature, !primal.HasThis, accessibility));
                return null;
            }
            if (!alreadyWoven && !DerivativeMethods.IsStub(match))
            {
                Report(DiagnosticCode.DerivativeHasBody, $"{name} is declared with a body, so the weaver cannot fill it; make it a bodiless `extern` declaration (or `partial`, implemented by the Autodiff generator), or name a different derivative");
                return null;
            }
            return match;
        }

        private string Mismatch(MethodDefinition found, DerivativeSignature signature, bool isStatic, string accessibility)
        {
            var outermost = found.DeclaringType;
            while (outermost.DeclaringType != null)
                outermost = outermost.DeclaringType;
            var context = outermost.Namespace;
            var expected = CSharpSignatureFormatter.ToCSharp(signature, found.Name, isStatic, accessibility, context);
            return $"the signature of {found.Name} differs from the derivative's; expected: {expected}; found: {CSharpSignatureFormatter.ToCSharp(found, context)}";
        }

        private static TypeDefinition? TryResolve(TypeReference type)
        {
            try
            {
                return type.Resolve();
            }
            catch (AssemblyResolutionException)
            {
                return null;
            }
        }
    }
}
