namespace Autodiff.Tests.Calls;

/// <summary>C# of the wide-call tests: calls with more than seven active arguments, whose gradients nest through Rest.</summary>
internal static class WideCallSource
{
    public const string Text = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public static class Wide
        {
            // Σ k·aₖ², k = 1..9.
            private static double Mix(double a1, double a2, double a3, double a4, double a5, double a6, double a7, double a8, double a9) =>
                a1 * a1 + 2 * a2 * a2 + 3 * a3 * a3 + 4 * a4 * a4 + 5 * a5 * a5 + 6 * a6 * a6 + 7 * a7 * a7 + 8 * a8 * a8 + 9 * a9 * a9;

            [Checkpoint]
            private static double MixRecomputed(double a1, double a2, double a3, double a4, double a5, double a6, double a7, double a8, double a9) =>
                Mix(a1, a2, a3, a4, a5, a6, a7, a8, a9);

            // Σ wₖ·aₖ², k = 1..8, reading a Duplicated array.
            [Checkpoint]
            private static double Weigh(double[] w, double a1, double a2, double a3, double a4, double a5, double a6, double a7, double a8) =>
                w[0] * a1 * a1 + w[1] * a2 * a2 + w[2] * a3 * a3 + w[3] * a4 * a4 + w[4] * a5 * a5 + w[5] * a6 * a6 + w[6] * a7 * a7 + w[7] * a8 * a8;

            // aₖ = k·x: f = x²·Σ k³ = 2025·x².
            [Autodiff(nameof(GradientOfSplit), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfSplit), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Split(double x) => Mix(x, 2 * x, 3 * x, 4 * x, 5 * x, 6 * x, 7 * x, 8 * x, 9 * x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOfSplit(double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfSplit(double x, double dx);

            [Autodiff(nameof(GradientOfRecomputed), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(GradientsOfRecomputed), Mode.Reverse, Activity.Active, Activity.Active, Width = 2)]
            public static double Recomputed(double x) => MixRecomputed(x, 2 * x, 3 * x, 4 * x, 5 * x, 6 * x, 7 * x, 8 * x, 9 * x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOfRecomputed(double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientsOfRecomputed(double x, double seed0, double seed1);

            // f = x²·Σ wₖ·k².
            [Autodiff(nameof(GradientOfWeighed), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            public static double Weighed(double[] w, double x) => Weigh(w, x, 2 * x, 3 * x, 4 * x, 5 * x, 6 * x, 7 * x, 8 * x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOfWeighed(double[] w, double[] dw, double x, double seed);
        }
        """;
}
