using System;
using System.Runtime.CompilerServices;
using Autodiff.Tests.EndToEnd;
using NUnit.Framework;

namespace Autodiff.Tests.Memory;

/// <summary>Derivatives through class instances (Duplicated/Dual, the shadow an object of the same type), woven end to end.</summary>
public sealed class ObjectTests
{
    private const string Source = """
        using System.CodeDom.Compiler;
        using Autodiff;

        public sealed class Particle
        {
            public double X;
            public double V;
            public double[] Trail = new double[0];
            public Particle? Next;

            // `this` Duplicated: its shadow is the derivative's first explicit parameter.
            [Autodiff(nameof(GradientOfEnergy), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfEnergy), Mode.Forward, Activity.Dual, Activity.Dual)]
            public double Energy() => 0.5 * V * V + 9.81 * X;

            [GeneratedCode("Autodiff", "1")]
            public extern double GradientOfEnergy(Particle dthis, double seed);

            [GeneratedCode("Autodiff", "1")]
            public extern (double, double) TangentOfEnergy(Particle dthis);
        }

        public static class Physics
        {
            // An explicit Euler step, in place.
            [Autodiff(nameof(GradientOfStep), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfStep), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static void Step(Particle p, double dt)
            {
                p.X += dt * p.V;
                p.V -= dt * p.X;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfStep(Particle p, Particle dp, double dt);

            [GeneratedCode("Autodiff", "1")]
            public static extern void TangentOfStep(Particle p, Particle dp, double dt, double ddt);

            // An array held in a field, and a second object reached through a field.
            [Autodiff(nameof(GradientOfTrailEnergy), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfTrailEnergy), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double TrailEnergy(Particle p)
            {
                var sum = 0.0;
                for (var i = 0; i < p.Trail.Length; i++)
                    sum += p.Trail[i] * p.Trail[i] * p.X;
                return sum + p.X * p.Next!.X;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfTrailEnergy(Particle p, Particle dp, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfTrailEnergy(Particle p, Particle dp);

            // An array of objects: its shadow is an array of shadow objects.
            [Autodiff(nameof(GradientOfKinetic), Mode.Reverse, Activity.Duplicated, Activity.Active)]
            [Autodiff(nameof(TangentOfKinetic), Mode.Forward, Activity.Dual, Activity.Dual)]
            public static double Kinetic(Particle[] particles)
            {
                var sum = 0.0;
                for (var i = 0; i < particles.Length; i++)
                    sum += 0.5 * particles[i].V * particles[i].V;
                return sum;
            }

            [GeneratedCode("Autodiff", "1")]
            public static extern double GradientOfKinetic(Particle[] particles, Particle[] dparticles, double seed);

            [GeneratedCode("Autodiff", "1")]
            public static extern (double, double) TangentOfKinetic(Particle[] particles, Particle[] dparticles);
        }
        """;

    private static WovenAssembly woven = null!;

    [OneTimeSetUp]
    public void Weave() => woven = WovenAssembly.Compile(Source);

    [OneTimeTearDown]
    public void Unload() => woven.Dispose();

    [Test]
    public void WeavesWithoutErrors() => Assert.That(woven.Result.Succeeded, Is.True, woven.ErrorText);

    [Test]
    public void ThisDuplicatedReverseAndForward()
    {
        // E = V²/2 + 9.81·X: ∂E/∂V = V, ∂E/∂X = 9.81.
        var p = New(x: 2, v: 3);
        var dp = New();
        var energy = Instance(p, "GradientOfEnergy", dp, 1.0);
        var tangent = (ITuple)Instance(p, "TangentOfEnergy", New(x: 1, v: 2))!;
        Assert.Multiple(() =>
        {
            Assert.That(energy, Is.EqualTo(4.5 + 19.62));
            Assert.That(Get(dp, "X"), Is.EqualTo(9.81));
            Assert.That(Get(dp, "V"), Is.EqualTo(3.0));
            Assert.That((double)tangent[1]!, Is.EqualTo(9.81 + 2 * 3.0).Within(1e-12));
        });
    }

    [Test]
    public void EulerStepReverse()
    {
        // X₁ = X + dt·V, V₁ = V − dt·X₁. Seeds X̄₁ = 1, V̄₁ = 0.5:
        // X̄₁ total = 1 − 0.5·dt, so X̄ = 1 − 0.5dt, V̄ = 0.5 + dt(1 − 0.5dt), dt̄ = V(1 − 0.5dt) − 0.5·X₁.
        const double dt = 0.1;
        var p = New(x: 2, v: 3);
        var dp = New(x: 1, v: 0.5);
        var ddt = (double)woven.Invoke("Physics", "GradientOfStep", p, dp, dt)!;
        var x1 = 2 + dt * 3;
        Assert.Multiple(() =>
        {
            Assert.That(Get(p, "X"), Is.EqualTo(x1));
            Assert.That(Get(p, "V"), Is.EqualTo(3 - dt * x1));
            Assert.That(Get(dp, "X"), Is.EqualTo(1 - 0.5 * dt).Within(1e-12));
            Assert.That(Get(dp, "V"), Is.EqualTo(0.5 + dt * (1 - 0.5 * dt)).Within(1e-12));
            Assert.That(ddt, Is.EqualTo(3 * (1 - 0.5 * dt) - 0.5 * x1).Within(1e-12));
        });
    }

    [Test]
    public void EulerStepForwardAgreesWithReverse()
    {
        const double dt = 0.1;
        var dp = New(x: 1, v: 0.5);
        var ddt = (double)woven.Invoke("Physics", "GradientOfStep", New(x: 2, v: 3), dp, dt)!;
        // u = (Ẋ, V̇, dṫ) = (0.3, -0.7, 2); v = (1, 0.5).
        var tangent = New(x: 0.3, v: -0.7);
        woven.Invoke("Physics", "TangentOfStep", New(x: 2, v: 3), tangent, dt, 2.0);
        var vJu = 1 * Get(tangent, "X") + 0.5 * Get(tangent, "V");
        var vJTu = Get(dp, "X") * 0.3 + Get(dp, "V") * -0.7 + ddt * 2.0;
        Assert.That(vJu, Is.EqualTo(vJTu).Within(1e-12));
    }

    [Test]
    public void ArrayFieldAndLinkedObjectReverse()
    {
        // f = X·Σ tᵢ² + X·X': ∂f/∂tᵢ = 2X·tᵢ, ∂f/∂X = Σ tᵢ² + X', ∂f/∂X' = X.
        var p = New(x: 2, trail: new[] { 1.0, -3.0 }, next: New(x: 5));
        var dp = New(trail: new double[2], next: New());
        var f = woven.Invoke("Physics", "GradientOfTrailEnergy", p, dp, 1.0);
        Assert.Multiple(() =>
        {
            Assert.That(f, Is.EqualTo(2 * 10.0 + 10));
            Assert.That(Get(dp, "X"), Is.EqualTo(10.0 + 5));
            Assert.That(Field(dp, "Trail"), Is.EqualTo(new[] { 4.0, -12.0 }));
            Assert.That(Get(Field(dp, "Next")!, "X"), Is.EqualTo(2.0));
        });
    }

    [Test]
    public void ArrayFieldAndLinkedObjectForward()
    {
        var p = New(x: 2, trail: new[] { 1.0, -3.0 }, next: New(x: 5));
        var dp = New(x: 0.5, trail: new[] { 1.0, 0.25 }, next: New(x: -1));
        var tangent = (ITuple)woven.Invoke("Physics", "TangentOfTrailEnergy", p, dp)!;
        // ḟ = Ẋ·Σt² + X·Σ2tṫ + ẊX' + XẊ' = 0.5·10 + 2·(2 − 1.5) + 0.5·5 + 2·(−1).
        Assert.That((double)tangent[1]!, Is.EqualTo(5 + 1 + 2.5 - 2).Within(1e-12));
    }

    [Test]
    public void ArrayOfObjectsBothModes()
    {
        // K = Σ Vᵢ²/2: ∂K/∂Vᵢ = Vᵢ.
        var type = woven.Loaded.Assembly.GetType("Particle")!;
        var particles = Array.CreateInstance(type, 2);
        particles.SetValue(New(v: 3), 0);
        particles.SetValue(New(v: -2), 1);
        var shadows = Array.CreateInstance(type, 2);
        shadows.SetValue(New(), 0);
        shadows.SetValue(New(), 1);
        var k = woven.Invoke("Physics", "GradientOfKinetic", particles, shadows, 1.0);
        var tangents = Array.CreateInstance(type, 2);
        tangents.SetValue(New(v: 1), 0);
        tangents.SetValue(New(v: 0.5), 1);
        var tangent = (ITuple)woven.Invoke("Physics", "TangentOfKinetic", particles, tangents)!;
        Assert.Multiple(() =>
        {
            Assert.That(k, Is.EqualTo(6.5));
            Assert.That(Get(shadows.GetValue(0)!, "V"), Is.EqualTo(3.0));
            Assert.That(Get(shadows.GetValue(1)!, "V"), Is.EqualTo(-2.0));
            Assert.That(tangent[1], Is.EqualTo(3.0 - 1.0));
        });
    }

    [Test]
    public void ANullShadowObjectNamesTheParameter()
    {
        var error = Assert.Throws<ArgumentNullException>(() => woven.Invoke("Physics", "GradientOfStep", New(), null, 0.1))!;
        Assert.That(error.ParamName, Is.EqualTo("dp"));
    }

    private static object New(double x = 0, double v = 0, double[]? trail = null, object? next = null)
    {
        var type = woven.Loaded.Assembly.GetType("Particle")!;
        var particle = Activator.CreateInstance(type)!;
        type.GetField("X")!.SetValue(particle, x);
        type.GetField("V")!.SetValue(particle, v);
        if (trail != null)
            type.GetField("Trail")!.SetValue(particle, trail);
        type.GetField("Next")!.SetValue(particle, next);
        return particle;
    }

    private static object? Field(object particle, string name) => particle.GetType().GetField(name)!.GetValue(particle);

    private static double Get(object particle, string name) => (double)Field(particle, name)!;

    private static object? Instance(object target, string method, params object?[] arguments)
    {
        try
        {
            return target.GetType().GetMethod(method)!.Invoke(target, arguments);
        }
        catch (System.Reflection.TargetInvocationException e) when (e.InnerException != null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
