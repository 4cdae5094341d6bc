using System;
using System.Globalization;
using Autodiff.Samples.Quickstart;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

var (f, dfdx, dfdy) = Model.GradientOfF(5, 7, seed: 1);
Console.WriteLine($"f(x, y) = x^2 + 3y at (5, 7):   f = {f}, gradient = ({dfdx}, {dfdy})");

var (g, dgdx0, dgdx1) = Model.GradientOfG(2, 3, seed: 1);
Console.WriteLine($"g(x0, x1) = x0^2 + x1*x0 at (2, 3), reverse:   g = {g}, gradient = ({dgdx0}, {dgdx1})");

var (value, alongX0) = Model.TangentOfG(2, 1, 3, 0);
var (_, alongX1) = Model.TangentOfG(2, 0, 3, 1);
Console.WriteLine($"g(x0, x1) = x0^2 + x1*x0 at (2, 3), forward:   g = {value}, dg/dx0 = {alongX0}, dg/dx1 = {alongX1}");

var dx = new double[2];
var h = Model.GradientOfH(new[] { 2.0, 3.0 }, dx, seed: 1);
Console.WriteLine($"h(x) = x[0]^2 + x[1]*x[0] at [2, 3], reverse over an array:   h = {h}, dx = [{dx[0]}, {dx[1]}]");

var (length, dlengthdx, dlengthdy) = Model.GradientOfPath(3, 4, seed: 1);
Console.WriteLine($"path (0, 0) -> (x, y) -> (6, 0) at (3, 4), through the QuickstartGeometry library:   length = {length}, gradient = ({dlengthdx}, {dlengthdy})");
