namespace Autodiff.Tests.Calls;

/// <summary>
/// The C# the callee-shape tests weave: static methods of generic types at double and float, virtual and
/// interface calls on receivers created by <c>new</c> (devirtualized), and virtual methods of sealed types.
/// </summary>
internal static class CalleeShapeSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public static class Smoothing<T> where T : IFloatingPointIeee754<T>
        {
            private static readonly T Half = T.One / (T.One + T.One);

            public static T Twice(T x) => x + x;

            // Reads a static field of its instantiation and calls a sibling: both reached through Smoothing<double>.
            public static T Smooth(T x) => T.Sin(x) * Twice(x) + Half * x * x;
        }

        public sealed class Spring<T> where T : IFloatingPointIeee754<T>
        {
            private readonly T stiffness;

            public Spring(T stiffness) => this.stiffness = stiffness;

            // An instance method of a generic type reading a field of its instantiation.
            public T Energy(T x) => stiffness * x * x / (T.One + T.One);
        }

        public interface IProfile
        {
            double Height(double x);
        }

        public abstract class Shape
        {
            public abstract double Area(double r);
        }

        public class Disk : Shape, IProfile
        {
            private readonly double k;

            public Disk(double k) => this.k = k;

            public override double Area(double r) => k * r * r;

            public double Height(double x) => Math.Exp(-k * x * x);
        }

        public sealed class Ring : Shape
        {
            public override double Area(double r) => r * r * r;
        }

        public static class Shapes
        {
            // d/dx = 2(cos x·2x + 2 sin x + x) + cos x·2x + 2 sin x + x at float precision.
            [Autodiff(nameof(FGenericType), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RGenericType), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double GenericType(double x) => 2 * Smoothing<double>.Smooth(x) + Smoothing<float>.Smooth((float)x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FGenericType(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RGenericType(double x, double seed);

            // ½·3x² through Spring<double>.Energy: d/dx = 3x.
            [Autodiff(nameof(FGenericInstance), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RGenericInstance), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double GenericInstance(double x) => new Spring<double>(3).Energy(x);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FGenericInstance(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RGenericInstance(double x, double seed);

            // The receivers' exact types are known from new: Disk.Area, Disk.Height (through IProfile), Ring.Area (sealed).
            [Autodiff(nameof(FDevirtualized), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RDevirtualized), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Devirtualized(double x)
            {
                Shape disk = new Disk(3);
                IProfile profile = new Disk(0.5);
                var ring = new Ring();
                return disk.Area(x) + profile.Height(x) + ring.Area(x);
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FDevirtualized(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RDevirtualized(double x, double seed);
        }
        """;
}
