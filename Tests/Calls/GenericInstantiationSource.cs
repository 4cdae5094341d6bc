namespace Autodiff.Tests.Calls;

/// <summary>C# of the generic-instantiation tests: generic helpers and types at type arguments other than double/float.</summary>
internal static class GenericInstantiationSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using System.Numerics;
        using Autodiff;

        public interface IShape
        {
            double Area();
        }

        public struct Square : IShape
        {
            public double Side;

            public double Area() => Side * Side;
        }

        public struct Pair<T>
        {
            public T First;
            public T Second;
        }

        public static class Weighted<T, TCount> where T : IFloatingPointIeee754<T> where TCount : INumber<TCount>
        {
            public static T Total(T value, TCount count) => value * T.CreateChecked(count);
        }

        public static class Powers<T, TExponent> where T : IFloatingPointIeee754<T> where TExponent : INumber<TExponent>
        {
            // Integer generic math on the exponent: U.Zero, <, ++.
            public static T Power(T x, TExponent n)
            {
                var result = T.One;
                for (var i = TExponent.Zero; i < n; i++)
                    result *= x;
                return result;
            }
        }

        public static class Outer<T> where T : IFloatingPointIeee754<T>
        {
            public static class Inner<TIndex> where TIndex : INumber<TIndex>
            {
                public static T Times(T x, TIndex k) => x * T.CreateChecked(k) * T.Sin(x);
            }
        }

        public static class Generic
        {
            private static double Scale<TIndex>(double x, TIndex k) where TIndex : INumber<TIndex> => x * double.CreateChecked(k);

            private static double Twice<TShape>(TShape shape) where TShape : IShape => 2 * shape.Area();

            private static T Product<T>(Pair<T> pair) where T : IFloatingPointIeee754<T> => pair.First * pair.Second;

            // int and long index types mixed with double: f = 3x² + 2x.
            [Autodiff(nameof(GradientOfScaled), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfScaled), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Scaled(double x) => Scale(x * x, 3) + Scale(x, 2L);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOfScaled(double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfScaled(double x, double dx);

            // A generic type over (float, int) with an integer loop: f = x³ + x².
            [Autodiff(nameof(GradientOfPowered), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPowered), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static float Powered(float x) => Powers<float, int>.Power(x, 3) + Powers<float, long>.Power(x, 2L);

            [GeneratedCode("Autodiff", "1")] public static extern (float, float) GradientOfPowered(float x, float seed);
            [GeneratedCode("Autodiff", "1")] public static extern (float, float) TangentOfPowered(float x, float dx);

            // Nested generic types (double, long): f = 4x·sin x.
            [Autodiff(nameof(GradientOfNested), Mode.Reverse, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfNested), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Nested(double x) => Outer<double>.Inner<long>.Times(x, 4L);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) GradientOfNested(double x, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfNested(double x, double dx);

            // A generic helper at a user struct, calling its interface method: f = 2x²·y.
            [Autodiff(nameof(GradientOfShapes), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfShapes), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Shapes(double x, double y) => Twice(new Square { Side = x }) * y;

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfShapes(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfShapes(double x, double dx, double y, double dy);

            // A generic struct at double through a generic helper, and a generic type at (double, int): f = x·y + 5·x.
            [Autodiff(nameof(GradientOfPaired), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfPaired), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Paired(double x, double y) =>
                Product(new Pair<double> { First = x, Second = y }) + Weighted<double, int>.Total(x, 5);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double, double) GradientOfPaired(double x, double y, double seed);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) TangentOfPaired(double x, double dx, double y, double dy);
        }
        """;
}
