using System.Collections.Generic;
using Autodiff.Weaver.Ir;

namespace Autodiff.Weaver.Analysis;

/// <summary>
/// Where activity starts: parameters whose derivative is requested (reverse Active, forward Dual/DualOnly)
/// whether the returned value's derivative is requested (reverse Active/ActiveOnly, forward Dual/DualOnly),
/// and the memory passed with a shadow.
/// </summary>
public sealed record ActivitySeeds(IReadOnlyCollection<Parameter> ActiveParameters, bool ReturnIsActive, ShadowedMemory Memory);
