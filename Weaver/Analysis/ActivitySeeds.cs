using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Where activity starts: parameters whose derivative is requested (reverse Active, forward Dual/DualOnly)
/// and whether the returned value's derivative is requested (reverse Active/ActiveOnly, forward Dual/DualOnly).
/// </summary>
public sealed record ActivitySeeds(IReadOnlyCollection<Parameter> ActiveParameters, bool ReturnIsActive);
