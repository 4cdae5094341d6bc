namespace Autodiff.Weaver.Diagnostics;

/// <summary>A position in a source file, from the PDB's sequence points (1-based line and column).</summary>
public sealed record SourceLocation(string Path, int Line, int Column)
{
    public static SourceLocation? From(Mono.Cecil.Cil.SequencePoint? point) =>
        point == null || point.IsHidden ? null : new SourceLocation(point.Document.Url, point.StartLine, point.StartColumn);
}
