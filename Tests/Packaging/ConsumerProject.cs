using System.Collections.Generic;
using System.IO;

namespace Autodiff.Tests.Packaging;

/// <summary>
/// A fresh console project outside this repository, as <c>dotnet new console</c> makes it, that references
/// only Autodiff.Fody (from the local feed, added to the machine's configured sources) and Fody.
/// </summary>
public static class ConsumerProject
{
    public static string Create(LocalFeed feed, string name, IReadOnlyDictionary<string, string> sources)
    {
        var directory = feed.NewDirectory(name);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Autodiff.Fody" Version="{feed.Version}" />
                <PackageReference Include="Fody" Version="6.9.3" PrivateAssets="all" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="autodiff-test-feed" value="{feed.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "FodyWeavers.xml"), """
            <Weavers>
              <Autodiff />
            </Weavers>
            """);
        foreach (var (file, text) in sources)
            File.WriteAllText(Path.Combine(directory, file), text);
        return directory;
    }
}
