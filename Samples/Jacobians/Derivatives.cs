using System.Linq;

namespace Autodiff.Samples.Jacobians;

/// <summary>Full Jacobians and Hessians assembled from the woven derivatives of <see cref="Model"/>.</summary>
public static class Derivatives
{
    private const int Size = 3;

    /// <summary>The Jacobian of <see cref="Model.Cartesian"/> from one vector-mode call: column k is lane k.</summary>
    public static double[,] ForwardJacobian(double[] q)
    {
        var columns = new[] { new double[Size], new double[Size], new double[Size] };
        Model.JacobianColumns(q, Unit(0), Unit(1), Unit(2), new double[Size], columns[0], columns[1], columns[2]);
        var jacobian = new double[Size, Size];
        for (var column = 0; column < Size; column++)
        {
            for (var row = 0; row < Size; row++)
                jacobian[row, column] = columns[column][row];
        }
        return jacobian;
    }

    /// <summary>The same Jacobian from reverse sweeps, one per output: sweep i seeds output i and yields row i.</summary>
    public static double[,] ReverseJacobian(double[] q)
    {
        var jacobian = new double[Size, Size];
        for (var row = 0; row < Size; row++)
        {
            var gradient = new double[Size];
            Model.JacobianRow(q, gradient, new double[Size], Unit(row));
            for (var column = 0; column < Size; column++)
                jacobian[row, column] = gradient[column];
        }
        return jacobian;
    }

    /// <summary>The Hessian of <see cref="Model.Energy"/>, forward over reverse: one width-3 call yields every column.</summary>
    public static double[,] Hessian(double[] x)
    {
        var columns = new[] { new double[Size], new double[Size], new double[Size] };
        Model.HessianColumns(x, Unit(0), Unit(1), Unit(2), new double[Size], columns[0], columns[1], columns[2]);
        var hessian = new double[Size, Size];
        for (var column = 0; column < Size; column++)
        {
            for (var row = 0; row < Size; row++)
                hessian[row, column] = columns[column][row];
        }
        return hessian;
    }

    /// <summary>The Hessian of a 4-variable <see cref="Model.Rosenbrock"/> (a loop), forward over reverse: one width-4 call.</summary>
    public static double[,] RosenbrockHessian(double[] x)
    {
        const int size = 4;
        var units = Enumerable.Range(0, size).Select(k => Enumerable.Range(0, size).Select(i => i == k ? 1.0 : 0.0).ToArray()).ToArray();
        var columns = Enumerable.Range(0, size).Select(_ => new double[size]).ToArray();
        Model.RosenbrockHessianColumns(x, units[0], units[1], units[2], units[3], new double[size], columns[0], columns[1], columns[2], columns[3]);
        var hessian = new double[size, size];
        for (var column = 0; column < size; column++)
        {
            for (var row = 0; row < size; row++)
                hessian[row, column] = columns[column][row];
        }
        return hessian;
    }

    /// <summary>H(x)·v from one forward-over-reverse call, without forming H.</summary>
    public static double[] HessianVectorProduct(double[] x, double[] v)
    {
        var product = new double[Size];
        Model.HessianVectorProduct(x, v, new double[Size], product);
        return product;
    }

    private static double[] Unit(int index)
    {
        var unit = new double[Size];
        unit[index] = 1;
        return unit;
    }
}
