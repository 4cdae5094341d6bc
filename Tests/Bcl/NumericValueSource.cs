namespace Autodiff.Tests.Bcl;

/// <summary>
/// The C# the numeric-value tests weave: Complex and Vector values crossing the derivative's boundary — Active/Dual
/// parameters, Active/Dual return values, Duplicated/Dual arrays and spans of Complex.
/// </summary>
internal static class NumericValueSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public static class ComplexValues
        {
            // Re(z²) + Im(z)·|z|.
            [Autodiff(nameof(RMix), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMix), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Mix(Complex z) => (z * z).Real + z.Imaginary * z.Magnitude;

            [GeneratedCode("Autodiff", "1")] public static extern (double, Complex) RMix(Complex z, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMix(Complex z, Complex dz);

            // z² + w·z (holomorphic in z), then w's own part.
            [Autodiff(nameof(RPolynomial), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FPolynomial), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static Complex Polynomial(Complex z, double w) => z * z + w * z;

            [GeneratedCode("Autodiff", "1")] public static extern (Complex, Complex, double) RPolynomial(Complex z, double w, Complex seed);
            [GeneratedCode("Autodiff", "1")] public static extern (Complex, Complex) FPolynomial(Complex z, Complex dz, double w, double dw);

            // (a·b, a − b) as a complex number.
            [Autodiff(nameof(RMake), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FMake), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static Complex Make(double a, double b) => new Complex(a * b, a - b);

            [GeneratedCode("Autodiff", "1")] public static extern (Complex, double, double) RMake(double a, double b, Complex seed);
            [GeneratedCode("Autodiff", "1")] public static extern (Complex, Complex) FMake(double a, double da, double b, double db);

            // Σ Re(z_i)·Im(z_i) + |z_0|.
            [Autodiff(nameof(RSum), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(FSum), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Sum(Complex[] z)
            {
                var s = Complex.Abs(z[0]);
                for (var i = 0; i < z.Length; i++)
                    s += z[i].Real * z[i].Imaginary;
                return s;
            }

            [GeneratedCode("Autodiff", "1")] public static extern double RSum(Complex[] z, Complex[] dz, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FSum(Complex[] z, Complex[] dz);
        }

        public static class ComplexLoops
        {
            // zⁿ by repeated multiplication: a Complex parameter and a Complex local carried around a loop, returned.
            [Autodiff(nameof(RPower), Mode.Reverse, Activity.Active, Activity.Const, Activity.Active)]
            [Autodiff(nameof(FPower), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static Complex Power(Complex z, int n)
            {
                var p = Complex.One;
                for (var i = 0; i < n; i++)
                    p *= z;
                return p;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (Complex, Complex) RPower(Complex z, int n, Complex seed);
            [GeneratedCode("Autodiff", "1")] public static extern (Complex, Complex) FPower(Complex z, Complex dz, int n);

            // Σ |zᵢ|² over a span, written back scaled: zᵢ ← k·zᵢ.
            [Autodiff(nameof(REnergy), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FEnergy), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Energy(Span<Complex> z, double k)
            {
                var e = 0.0;
                for (var i = 0; i < z.Length; i++)
                {
                    e += z[i].Real * z[i].Real + z[i].Imaginary * z[i].Imaginary;
                    z[i] = k * z[i];
                }
                return e;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) REnergy(Span<Complex> z, Span<Complex> dz, double k, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FEnergy(Span<Complex> z, Span<Complex> dz, double k, double dk);

            public static (double, double) CallREnergy(Complex[] z, Complex[] dz, double k) => REnergy(z, dz, k, 1.0);

            public static (double, double) CallFEnergy(Complex[] z, Complex[] dz, double k, double dk) => FEnergy(z, dz, k, dk);
        }

        public static class VectorValues
        {
            // k·a + a × e_x.
            [Autodiff(nameof(RTurn), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(FTurn), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static Vector3 Turn(Vector3 a, float k) => a * k + Vector3.Cross(a, Vector3.UnitX);

            [GeneratedCode("Autodiff", "1")] public static extern (Vector3, Vector3, float) RTurn(Vector3 a, float k, Vector3 seed);
            [GeneratedCode("Autodiff", "1")] public static extern (Vector3, Vector3) FTurn(Vector3 a, Vector3 da, float k, float dk);
        }
        """;
}
