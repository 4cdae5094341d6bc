using System;
using System.Linq;
using Autodiff.Weaver.Ir;
using NUnit.Framework;

namespace Autodiff.Tests.Backend;

/// <summary>
/// Every predicate, on ints (signed and unsigned) and on doubles (with NaN), both materialized as 0/1 and fused
/// into a compare-and-branch, in both branch polarities.
/// </summary>
public sealed class CompareLoweringTests
{
    private static readonly ComparePredicate[] Predicates = Enum.GetValues<ComparePredicate>();

    private static bool Expected(ComparePredicate predicate, double a, double b)
    {
        var unordered = double.IsNaN(a) || double.IsNaN(b);
        return predicate switch
        {
            ComparePredicate.Equal => a == b,
            ComparePredicate.NotEqualUn => a != b,
            ComparePredicate.Less => a < b,
            ComparePredicate.LessUn => a < b || unordered,
            ComparePredicate.LessOrEqual => a <= b,
            ComparePredicate.LessOrEqualUn => a <= b || unordered,
            ComparePredicate.Greater => a > b,
            ComparePredicate.GreaterUn => a > b || unordered,
            ComparePredicate.GreaterOrEqual => a >= b,
            _ => a >= b || unordered,
        };
    }

    private static bool Expected(ComparePredicate predicate, int a, int b) => predicate switch
    {
        ComparePredicate.Equal => a == b,
        ComparePredicate.NotEqualUn => a != b,
        ComparePredicate.Less => a < b,
        ComparePredicate.LessUn => (uint)a < (uint)b,
        ComparePredicate.LessOrEqual => a <= b,
        ComparePredicate.LessOrEqualUn => (uint)a <= (uint)b,
        ComparePredicate.Greater => a > b,
        ComparePredicate.GreaterUn => (uint)a > (uint)b,
        ComparePredicate.GreaterOrEqual => a >= b,
        _ => (uint)a >= (uint)b,
    };

    [Test]
    public void MaterializedAndFusedComparesAgreeWithTheirDefinition()
    {
        var harness = new LoweringHarness();
        var t = harness.Types;
        foreach (var predicate in Predicates)
        {
            foreach (var type in new[] { t.Int32, t.Double })
            {
                var suffix = predicate + "_" + type.Name;
                var (ir, _, b) = harness.Method("Value_" + suffix, t.Int32, (type, "a"), (type, "b"));
                b.Return(b.Compare(predicate, ir.Parameters[0], ir.Parameters[1]));

                // The layout puts a branch's first target right after it when it can, and the emitter then negates the
                // predicate to fall through; in the "direct" shape the second target is laid out first instead.
                foreach (var direct in new[] { false, true })
                {
                    var (branchIr, _, branch) = harness.Method((direct ? "BranchDirect_" : "BranchInverted_") + suffix, t.Int32, (type, "a"), (type, "b"));
                    var whenTrue = branchIr.AddBlock(null);
                    var whenFalse = branchIr.AddBlock(null);
                    var returnFalse = branchIr.AddBlock(null);
                    branch.BranchIf(branch.Compare(predicate, branchIr.Parameters[0], branchIr.Parameters[1]), whenTrue, whenFalse);
                    branch.AtEnd(whenTrue).Return(branchIr.Int32(1));
                    if (direct)
                        branch.AtEnd(whenFalse).BranchIf(branch.Compare(ComparePredicate.Equal, branchIr.Int32(0), branchIr.Int32(0)), returnFalse, whenTrue);
                    else
                        branch.AtEnd(whenFalse).Branch(returnFalse);
                    branch.AtEnd(returnFalse).Return(branchIr.Int32(0));
                }
            }
        }

        using var loaded = harness.Load();
        var doubles = new[] { -1.5, 0.0, 2.0, double.NaN, double.PositiveInfinity };
        var ints = new[] { int.MinValue, -1, 0, 1, int.MaxValue };
        foreach (var predicate in Predicates)
        {
            foreach (var prefix in new[] { "Value_", "BranchInverted_", "BranchDirect_" })
            {
                foreach (var (a, b) in doubles.SelectMany(a => doubles.Select(b => (a, b))))
                {
                    Assert.That(loaded.Invoke(LoweringHarness.TypeName, prefix + predicate + "_Double", a, b), Is.EqualTo(Expected(predicate, a, b) ? 1 : 0), $"{prefix}{predicate}({a}, {b})");
                }
                foreach (var (a, b) in ints.SelectMany(a => ints.Select(b => (a, b))))
                {
                    Assert.That(loaded.Invoke(LoweringHarness.TypeName, prefix + predicate + "_Int32", a, b), Is.EqualTo(Expected(predicate, a, b) ? 1 : 0), $"{prefix}{predicate}({a}, {b})");
                }
            }
        }
    }
}
