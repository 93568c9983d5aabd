using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NJsonSchema.CodeGeneration.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace Recouvrement.Tests.Support;

/// <summary>
/// The C# client NSwag generates from an OpenAPI document, with the settings the README gives a creditor, compiled in
/// memory and driven by reflection: what the document says is all it knows.
/// </summary>
public sealed class GeneratedClient
{
    private const string Namespace = "Generated";
    private readonly Assembly _assembly;
    private readonly object _client;

    private GeneratedClient(Assembly assembly, object client)
    {
        _assembly = assembly;
        _client = client;
    }

    /// <param name="json">
    /// NSwag's default, Newtonsoft.Json, or System.Text.Json. NSwag's System.Text.Json output puts a string-enum converter
    /// on each enum property but none on arrays of enums (the policy's channels): it needs one registered for the whole
    /// client (<c>/jsonConverters:System.Text.Json.Serialization.JsonStringEnumConverter</c>). Even so it writes the C#
    /// name of a value (<c>Formal_notice</c>), as System.Text.Json ignores the <c>[EnumMember]</c> NSwag puts on it; the API
    /// reads enum values in any letter case.
    /// </param>
    public static async Task<GeneratedClient> GenerateAsync(string document, HttpClient http, CSharpJsonLibrary json)
    {
        var openApi = await NSwag.OpenApiDocument.FromJsonAsync(document);
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "RecouvrementClient",
            CSharpGeneratorSettings =
            {
                Namespace = Namespace,
                JsonLibrary = json,
                JsonConverters = json == CSharpJsonLibrary.SystemTextJson ? ["System.Text.Json.Serialization.JsonStringEnumConverter"] : null,
            },
        };
        var source = new CSharpClientGenerator(openApi, settings).GenerateFile();

        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Recouvrement.GeneratedClient", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, "the generated client does not compile:\n"
            + string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));

        image.Position = 0;
        var assembly = new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
        var client = Activator.CreateInstance(assembly.GetType($"{Namespace}.RecouvrementClient", throwOnError: true)!, http)!;
        client.GetType().GetProperty("BaseUrl")!.SetValue(client, http.BaseAddress!.ToString());
        return new GeneratedClient(assembly, client);
    }

    public Type Type(string name) => _assembly.GetType($"{Namespace}.{name}")
        ?? throw new InvalidOperationException($"the generated client has no type {name}");

    /// <summary>A generated model with these properties set: a value of another type than the property's fails here.</summary>
    public object New(string type, params (string Property, object? Value)[] values)
    {
        var instance = Activator.CreateInstance(Type(type))!;
        foreach (var (property, value) in values)
        {
            var info = instance.GetType().GetProperty(property) ?? throw new InvalidOperationException($"{type} has no property {property}");
            info.SetValue(instance, value);
        }

        return instance;
    }

    /// <summary>An array of a generated model, for a parameter typed as a collection of it.</summary>
    public Array Array(string type, params object[] items)
    {
        var array = System.Array.CreateInstance(Type(type), items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            array.SetValue(items[i], i);
        }

        return array;
    }

    public object Enum(string type, string member) => System.Enum.Parse(Type(type), member);

    /// <summary>Calls the client's method of that name (the overload with a cancellation token) and returns what it answered.</summary>
    public async Task<object?> Call(string method, params object?[] arguments)
    {
        var overload = _client.GetType().GetMethods()
            .Single(m => m.Name == method && m.GetParameters().Length == arguments.Length + 1
                && m.GetParameters()[^1].ParameterType == typeof(CancellationToken));
        var task = (Task)overload.Invoke(_client, [.. arguments, CancellationToken.None])!;
        await task;
        return overload.ReturnType.IsGenericType ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
    }

    /// <summary>A property of a generated object, by name.</summary>
    public static object? Get(object? instance, string property)
    {
        Assert.NotNull(instance);
        var info = instance.GetType().GetProperty(property) ?? throw new InvalidOperationException($"{instance.GetType().Name} has no property {property}");
        return info.GetValue(instance);
    }

    /// <summary>An item of a generated collection property.</summary>
    public static object Item(object? instance, string property, int index) =>
        ((System.Collections.IEnumerable)Get(instance, property)!).Cast<object>().ElementAt(index);

    public static int Count(object? instance, string property) =>
        ((System.Collections.IEnumerable)Get(instance, property)!).Cast<object>().Count();
}
