using System;
using System.Globalization;
using System.Linq;
using Autodiff.Samples.Jacobians;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var q = new[] { 2.0, 0.5, 1.0 };
var forward = Derivatives.ForwardJacobian(q);
var reverse = Derivatives.ReverseJacobian(q);
Console.WriteLine("Jacobian of spherical -> Cartesian at (r, theta, phi) = (2, 0.5, 1)");
Print("one width-3 forward call", forward);
Print("three reverse sweeps", reverse);
Console.WriteLine($"det J = {Determinant(forward):F6}; r^2 sin(theta) = {q[0] * q[0] * Math.Sin(q[1]):F6}");

var x = new[] { 1.0, 2.0, 0.5 };
Console.WriteLine();
Console.WriteLine("Hessian of e(x) = x0^2 x1 + x1 x2^3 + sin(x0 x2) at (1, 2, 0.5), forward over reverse");
Print("one width-3 call", Derivatives.Hessian(x));
var hv = Derivatives.HessianVectorProduct(x, new[] { 1.0, -1.0, 2.0 });
Console.WriteLine($"H*(1, -1, 2) = ({string.Join(", ", hv.Select(v => v.ToString("F6")))})");

Console.WriteLine();
Console.WriteLine("Hessian of Rosenbrock's function (a loop) at (1.2, 0.8, -0.5, 1), forward over reverse");
Print("one width-4 call", Derivatives.RosenbrockHessian(new[] { 1.2, 0.8, -0.5, 1.0 }));

static void Print(string title, double[,] matrix)
{
    Console.WriteLine($"  {title}:");
    for (var row = 0; row < matrix.GetLength(0); row++)
        Console.WriteLine("    " + string.Join("  ", Enumerable.Range(0, matrix.GetLength(1)).Select(column => matrix[row, column].ToString("F6").PadLeft(10))));
}

static double Determinant(double[,] m) =>
    m[0, 0] * (m[1, 1] * m[2, 2] - m[1, 2] * m[2, 1])
    - m[0, 1] * (m[1, 0] * m[2, 2] - m[1, 2] * m[2, 0])
    + m[0, 2] * (m[1, 0] * m[2, 1] - m[1, 1] * m[2, 0]);
