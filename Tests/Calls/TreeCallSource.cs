namespace Autodiff.Tests.Calls;

/// <summary>C# of the tree-recursion tests: a recursive helper passed an object read from a field of a shadowed object.</summary>
internal static class TreeCallSource
{
    public const string Text = """
        using System;
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Node
        {
            public double Value;
            public Node? Left;
            public Node? Right;
        }

        public static class Trees
        {
            // Σ over the tree of w·value², depth-first through the children's fields.
            private static double Sum(Node? t, double w) => t == null ? 0 : w * t.Value * t.Value + Sum(t.Left, w) + Sum(t.Right, w * 0.5);

            [Autodiff(nameof(GradientOfTotal), Mode.Reverse, Activity.Duplicated, Activity.Active, Activity.Active)]
            [Autodiff(nameof(TangentOfTotal), Mode.Forward, Activity.Dual, Activity.Dual, Activity.Dual)]
            public static double Total(Node t, double w) => Sum(t, w);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) GradientOfTotal(Node t, Node tShadow, double w, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfTotal(Node t, Node tTangent, double w, double dw);
        }
        """;
}
