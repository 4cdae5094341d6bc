namespace Autodiff.Tests.Calls;

/// <summary>A helper library and a user assembly that differentiates through it (DESIGN §2, cross-assembly).</summary>
internal static class CrossAssemblySource
{
    public const string LibraryName = "Geometry";

    public const string Library = """
        using System;

        namespace Geometry;

        public sealed class Circle
        {
            private readonly double scale;

            public Circle(double scale) => this.scale = scale;

            // Reads a private field: the derivative generated into the user's assembly needs IgnoresAccessChecksTo.
            public double Area(double r) => scale * Math.PI * r * r;
        }

        public static class Shapes
        {
            public static double Ring(double r, double width) => Disk(r + width) - Disk(r);

            private static double Disk(double r) => Math.PI * r * r;
        }

        public struct Corner
        {
            public double X;
            public double Y;

            // Returns a struct and calls a private helper: inlined, with IgnoresAccessChecksTo.
            public Corner Scaled(double s) => new Corner { X = X * s, Y = Square(Y) };

            private static double Square(double v) => v * v;
        }

        public static class Corners
        {
            // Takes a struct and is recursive: called through its scalarized clone.
            public static double Spread(Corner c, int n) => n == 0 ? c.X * c.X * c.Y : Spread(new Corner { X = c.X, Y = c.Y }, n - 1);
        }
        """;

    public const string User = """
        using System.CodeDom.Compiler;
        using Autodiff;
        using Geometry;

        public static class Uses
        {
            [Autodiff(nameof(FArea), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RArea), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Area(double r) => new Circle(2).Area(r);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FArea(double r, double dr);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RArea(double r, double seed);

            [Autodiff(nameof(FRing), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RRing), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Ring(double r) => Shapes.Ring(r, 0.5);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FRing(double r, double dr);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RRing(double r, double seed);

            [Autodiff(nameof(FCorner), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RCorner), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Corner(double x) => Corners.Spread(new Corner { X = x, Y = 3 * x }, 2);

            [Autodiff(nameof(FMoved), Mode.Forward, Activity.Dual, Activity.Dual)]
            [Autodiff(nameof(RMoved), Mode.Reverse, Activity.Active, Activity.Active)]
            public static double Moved(double x)
            {
                var c = new Corner { X = x, Y = 2 * x }.Scaled(3);
                return c.X * c.Y;
            }

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FMoved(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RMoved(double x, double seed);

            [GeneratedCode("Autodiff", "1")] public static extern (double, double) FCorner(double x, double dx);
            [GeneratedCode("Autodiff", "1")] public static extern (double, double) RCorner(double x, double seed);

            // Form 2 on a method of the referenced assembly itself (DESIGN §1: "another type or a referenced assembly").
            [Autodiff(typeof(Shapes), nameof(Shapes.Ring), Mode.Reverse, Activity.Active, Activity.Active, Activity.Active)]
            public static extern (double value, double dr, double dwidth) DRingDirect(double r, double width, double seed);

            [Autodiff(typeof(Shapes), nameof(Shapes.Ring), Mode.Forward, Activity.Dual, Activity.Const, Activity.Dual)]
            public static extern (double value, double dvalue) FRingDirect(double r, double dr, double width);
        }
        """;
}
