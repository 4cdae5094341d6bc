namespace Autodiff.Tests.Calls;

/// <summary>
/// The bit-level fast inverse square root, whose body has no useful derivative (its estimate goes through
/// integer bits), given [ForwardRule]/[ReverseRule]s; and a BCL method given a rule that overrides the table.
/// </summary>
internal static class CustomRuleSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Fast
        {
            public static float InvSqrt(float x)
            {
                var i = BitConverter.SingleToInt32Bits(x);
                i = 0x5f3759df - (i >> 1);
                var y = BitConverter.Int32BitsToSingle(i);
                return y * (1.5f - 0.5f * x * y * y);
            }
        }

        public static class Rules
        {
            // d/dx x^(-1/2) = -x^(-3/2)/2 = -y³/2.
            [ForwardRule(typeof(Fast), nameof(Fast.InvSqrt))]
            public static (float, float) InvSqrtTangent(float x, float dx)
            {
                var y = Fast.InvSqrt(x);
                return (y, -0.5f * y * y * y * dx);
            }

            [ReverseRule(typeof(Fast), nameof(Fast.InvSqrt))]
            public static (float, float) InvSqrtGradient(float x, float seed)
            {
                var y = Fast.InvSqrt(x);
                return (y, -0.5f * y * y * y * seed);
            }

            // Overrides the table's rule for Math.Exp, reached through a helper in both modes (one rule serves both).
            [ForwardRule(typeof(Math), nameof(Math.Exp))]
            public static (double, double) ExpTangent(double x, double dx) => (Math.Exp(x), 2 * dx);
        }

        public static class UsesRules
        {
            // x · x^(-1/2) = √x → 1/(2√x).
            [Autodiff(nameof(FRoot), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RRoot), Mode.Reverse, Activity.Active, Activity.Active)]
            public static float Root(float x) => x * Fast.InvSqrt(x);

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) FRoot(float x, float dx);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) RRoot(float x, float seed);

            private static double Helper(double x) => Math.Exp(x) * 3;

            [Autodiff(nameof(FOverride), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(ROverride), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Override(double x) => Helper(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FOverride(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) ROverride(double x, double seed);
        }
        """;
}
