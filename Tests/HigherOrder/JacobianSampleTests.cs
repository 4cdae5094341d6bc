using System;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Autodiff.Samples.Jacobians;
using NUnit.Framework;

namespace Autodiff.Tests.HigherOrder;

/// <summary>
/// Samples/Jacobians as built (woven by Fody in the solution): its Jacobians and Hessian against closed forms,
/// forward against reverse, and the Hessian against central differences of the woven gradient.
/// </summary>
public sealed class JacobianSampleTests
{
    private const double Step = 1e-6;

    [Test]
    public void EveryWovenMethodJitCompiles()
    {
        foreach (var method in typeof(Model).GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        Assert.That(typeof(Model).GetMethod(nameof(Model.JacobianColumns))!.GetMethodBody(), Is.Not.Null, "woven");
    }

    [TestCase(2.0, 0.5, 1.0)]
    [TestCase(0.7, 2.1, -2.5)]
    public void ForwardJacobianFromOneVectorCallMatchesClosedFormAndReverseSweeps(double r, double theta, double phi)
    {
        var q = new[] { r, theta, phi };
        var forward = Derivatives.ForwardJacobian(q);
        var reverse = Derivatives.ReverseJacobian(q);
        double st = Math.Sin(theta), ct = Math.Cos(theta), sp = Math.Sin(phi), cp = Math.Cos(phi);
        var closed = new[,]
        {
            { st * cp, r * ct * cp, -r * st * sp },
            { st * sp, r * ct * sp, r * st * cp },
            { ct, -r * st, 0 },
        };
        Assert.Multiple(() =>
        {
            Assert.That(forward, Is.EqualTo(closed).Within(1e-14));
            Assert.That(reverse, Is.EqualTo(forward).Within(1e-14));
        });
    }

    [TestCase(1.0, 2.0, 0.5)]
    [TestCase(-0.3, 0.8, 1.7)]
    public void HessianMatchesClosedFormIsSymmetricAndDifferencesTheGradient(double x0, double x1, double x2)
    {
        var x = new[] { x0, x1, x2 };
        var hessian = Derivatives.Hessian(x);
        double s = Math.Sin(x0 * x2), c = Math.Cos(x0 * x2);
        var closed = new[,]
        {
            { 2 * x1 - x2 * x2 * s, 2 * x0, c - x0 * x2 * s },
            { 2 * x0, 0, 3 * x2 * x2 },
            { c - x0 * x2 * s, 3 * x2 * x2, 6 * x1 * x2 - x0 * x0 * s },
        };
        Assert.Multiple(() =>
        {
            Assert.That(hessian, Is.EqualTo(closed).Within(1e-12));
            for (var i = 0; i < 3; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    Assert.That(hessian[i, j], Is.EqualTo(hessian[j, i]), "symmetric");
                    Assert.That(hessian[i, j], Is.EqualTo(CentralDifferenceOfGradient(x, i, j)).Within(1e-6), $"H[{i},{j}] against differences of the gradient");
                }
            }
        });
    }

    [Test]
    public void RosenbrockHessianThroughTheLoopIsTheBandedClosedForm()
    {
        var x = new[] { 1.2, 0.8, -0.5, 1.0 };
        var expected = new double[4, 4];
        for (var i = 0; i < 3; i++)
        {
            expected[i, i] += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
            expected[i, i + 1] += -400 * x[i];
            expected[i + 1, i] += -400 * x[i];
            expected[i + 1, i + 1] += 200;
        }
        Assert.That(Derivatives.RosenbrockHessian(x), Is.EqualTo(expected).Within(1e-9));
    }

    [Test]
    public void HessianVectorProductEqualsTheHessianTimesTheVector()
    {
        var x = new[] { 1.0, 2.0, 0.5 };
        var v = new[] { 1.0, -1.0, 2.0 };
        var hessian = Derivatives.Hessian(x);
        var expected = Enumerable.Range(0, 3).Select(i => Enumerable.Range(0, 3).Sum(j => hessian[i, j] * v[j])).ToArray();
        Assert.That(Derivatives.HessianVectorProduct(x, v), Is.EqualTo(expected).Within(1e-14));
    }

    // ∂g_i/∂x_j of the woven reverse gradient g.
    private static double CentralDifferenceOfGradient(double[] x, int i, int j)
    {
        double Component(double offset)
        {
            var shifted = (double[])x.Clone();
            shifted[j] += offset;
            var gradient = new double[3];
            Model.GradientOfEnergy(shifted, gradient, 1.0);
            return gradient[i];
        }
        return (Component(Step) - Component(-Step)) / (2 * Step);
    }
}
