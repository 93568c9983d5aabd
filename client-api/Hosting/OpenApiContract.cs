using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Recouvrement.Api.Admin;
using Recouvrement.Api.Cases;
using Recouvrement.Api.Imports;
using Recouvrement.Api.ReadSide;

namespace Recouvrement.Api;

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: the creditor and operator API under <c>/api/v1</c> and nothing else,
/// typed closely enough that a generator (NSwag, Kiota, openapi-generator) makes a client that works as it is. The
/// endpoint mappings declare what each operation takes and answers (<c>WithName</c>, <c>Accepts</c>,
/// <see cref="ProducesProblems{TBuilder}"/>); this class adds what the framework cannot see: the bearer schemes, what the
/// handlers read by hand, the string fields that hold a fixed set of values, and examples.
/// </summary>
public static class OpenApiContract
{
    /// <summary>The security scheme of the creditor endpoints: <c>Authorization: Bearer &lt;creditor key&gt;</c>.</summary>
    public const string CreditorKey = "creditorKey";

    /// <summary>The security scheme of the operator endpoints (<c>/api/v1/admin</c>): the operator key, sent the same way.</summary>
    public const string OperatorKey = "operatorKey";

    public const string ProblemJson = "application/problem+json";

    // OpenAPI 3.1, ASP.NET Core's default, stays: NSwag 14 reads it (type arrays, oneOf with null) and makes a typed
    // client from it; OpenApiContractTests generates one from this document, compiles it and drives the API with it.
    public static IServiceCollection AddRecouvrementOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options =>
        {
            // The dashboard, /metrics, /health, the debtor pages, the sandbox checkout and the provider webhooks are not
            // for the creditor's software: the document, and so a generated client, holds the API under /api/v1 only.
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            // An event's data is an object of its own per event type: written inline, not as a "JsonElement" type.
            options.CreateSchemaReferenceId = type => type.Type == typeof(JsonElement) ? null : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddSchemaTransformer(ShapeSchema);
            options.AddOperationTransformer(DescribeOperation);
            options.AddDocumentTransformer(DescribeDocument);
        });

    /// <summary>Declares the error answers an endpoint (or every endpoint of a group) can give: problem details with these statuses.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statuses)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata([.. statuses.Select(status => new ProducesResponseTypeMetadata(status, typeof(Problem), [ProblemJson]))]);

    /// <summary>What each error status means, as every operation that declares it describes it.</summary>
    private static readonly Dictionary<int, string> ErrorMeanings = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is invalid: `errors` names each invalid field with the reason (`{field, reason}`); a body that is not JSON at all gets only `detail`.",
        [StatusCodes.Status401Unauthorized] = "No valid key: send `Authorization: Bearer <key>`. A revoked or unknown key is refused the same way.",
        [StatusCodes.Status404NotFound] = "Nothing with this reference for this creditor (another creditor's is a 404 too).",
        [StatusCodes.Status409Conflict] = "Refused in the current state: `detail` says why (e.g. the same reference with other content, a paid case put on hold).",
        [StatusCodes.Status413PayloadTooLarge] = "The body is over this endpoint's limit (bytes, items or lines): split it.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body is not of the content type this endpoint reads.",
        [StatusCodes.Status429TooManyRequests] = "Too many requests with a key that opens nothing came from this address: wait for `Retry-After` seconds. Requests with a valid key are never limited.",
        [StatusCodes.Status503ServiceUnavailable] = "The engine cannot serve this now (a silo or its database is away, or the key directory is not loaded yet): nothing was half-applied; retry after `Retry-After` seconds.",
    };

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        // The mapping's summary is written for the API's users; a handler's doc comment, for its maintainers.
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointSummaryMetadata>().LastOrDefault() is { } summary)
        {
            operation.Summary = summary.Summary;
        }

        // A CSV file in, a PDF or a ZIP out: raw bytes, which a generator sends and returns as a stream. Declared as a string, the
        // file would be sent as a quoted JSON string.
        var bodies = new[] { operation.RequestBody?.Content }.Concat(operation.Responses?.Values.Select(r => r.Content) ?? []);
        foreach (var (type, media) in bodies.SelectMany(content => content ?? new Dictionary<string, OpenApiMediaType>()))
        {
            if (type is "text/csv" or "application/pdf" or "application/zip")
            {
                media.Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" };
            }
        }

        // The list's filters are read as text by the handler, to name a wrong one in a 400; the values it takes are typed.
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            parameter.Schema = parameter.Name switch
            {
                "status" => new OpenApiSchemaReference(nameof(CaseStatus), context.Document),
                "dueFrom" or "dueTo" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "date" },
                "amountFrom" or "amountTo" => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "decimal", Minimum = "0" },
                _ => parameter.Schema,
            };
            parameter.Description ??= parameter.Name switch
            {
                "updatedSince" => "Cases changed at or after this instant, ISO 8601 with its offset (e.g. 2026-12-01T08:00:00Z).",
                "amountFrom" => "Cases whose amount claimed (the amount at intake, not the balance left) is at least this, in the case's currency; a decimal point (e.g. 150 or 99.90).",
                "amountTo" => "Cases whose amount claimed is at most this; not below amountFrom.",
                "cursor" or "after" => "Where to go on from: the nextCursor of the previous page; none for the first.",
                "types" => "Event types, comma-separated: " + string.Join(", ", EventTypes.All) + ".",
                _ => null,
            };
        }

        foreach (var (code, answer) in operation.Responses ?? [])
        {
            if (answer is not OpenApiResponse response || !int.TryParse(code, out var status) || !ErrorMeanings.TryGetValue(status, out var meaning))
            {
                continue;
            }

            response.Description = meaning;
            if (status is StatusCodes.Status429TooManyRequests or StatusCodes.Status503ServiceUnavailable)
            {
                response.Headers ??= new Dictionary<string, IOpenApiHeader>();
                response.Headers["Retry-After"] = new OpenApiHeader
                {
                    Description = "Seconds to wait before retrying.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
                };
            }

            if (status == StatusCodes.Status400BadRequest && response.Content?.TryGetValue(ProblemJson, out var media) == true && media is OpenApiMediaType problem)
            {
                problem.Example = JsonNode.Parse(InvalidExample);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A list of enum values (a step's channels) gets its items described inline by <see cref="ShapeSchema"/>; pointing
    /// them at the enum's own schema gives a generated client one type for the values, wherever they appear.
    /// </summary>
    private static void ReferListedEnums(OpenApiDocument document)
    {
        var schemas = document.Components?.Schemas ?? new Dictionary<string, IOpenApiSchema>();
        var enums = schemas.Where(s => s.Value.Enum is { Count: > 0 } && s.Value.Type == JsonSchemaType.String)
            .ToDictionary(s => string.Join('|', s.Value.Enum!.Select(v => v?.ToJsonString())), s => s.Key, StringComparer.Ordinal);
        foreach (var schema in schemas.Values.OfType<OpenApiSchema>())
        {
            foreach (var property in schema.Properties?.Values.OfType<OpenApiSchema>() ?? [])
            {
                if (property.Items is OpenApiSchema { Enum: { Count: > 0 } values }
                    && enums.TryGetValue(string.Join('|', values.Select(v => v?.ToJsonString())), out var name))
                {
                    property.Items = new OpenApiSchemaReference(name, document);
                }
            }
        }
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Recouvrement API",
            Version = "v1",
            Description = """
                The creditor API of Recouvrement, a dunning engine: feed cases (one, a batch, a CSV file), read cases and
                debtors, record payments received elsewhere, act on cases, set the dunning policy. Every request carries
                `Authorization: Bearer <key>` (the creditor's API key; the operator key for `/api/v1/admin`). A key sees only its
                creditor's data. Every error is RFC 9457 problem details (`application/problem+json`). Enums are written in
                snake_case and read in any letter case. A body over its endpoint's cap is refused with 413: 64 KB for one case,
                32 MB for a batch or a CSV file, 30 MB for any other.
                """,
        };
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas?.Remove("Stream"); // the PDF and the CSV export, written inline as binary by DescribeOperation
        ReferListedEnums(document);
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[CreditorKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The creditor's API key (`rk_...`), as `Authorization: Bearer <key>`.",
        };
        document.Components.SecuritySchemes[OperatorKey] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The operator key (`Recouvrement:OperatorKey`), as `Authorization: Bearer <key>`.",
        };
        foreach (var (path, item) in document.Paths)
        {
            var scheme = path.StartsWith("/api/v1/admin/", StringComparison.Ordinal) ? OperatorKey : CreditorKey;
            foreach (var operation in item.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(scheme, document)] = [] }];
                if (operation.Responses is { } responses)
                {
                    // Group conventions come first in the metadata; a reader expects the answers in the order of their codes.
                    var sorted = new OpenApiResponses();
                    foreach (var (code, response) in responses.OrderBy(r => r.Key, StringComparer.Ordinal))
                    {
                        sorted[code] = response;
                    }

                    operation.Responses = sorted;
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>What a case's schedule does next (<c>none</c>: only the schedule's end is left).</summary>
    private static readonly string[] NextActions = ["reminder", "formal_notice", "final_decision", "instalment_notice", "instalment_check", "none"];

    /// <summary>String fields that hold one of a fixed set of values, declared as enums for the generated clients.</summary>
    private static readonly Dictionary<(Type Type, string Property), string[]> StringEnums = new()
    {
        [(typeof(NextStep), "action")] = NextActions,
        [(typeof(CaseListApi.CaseListItem), "nextAction")] = NextActions,
        [(typeof(ContactPointView), "status")] = ["active", "disabled", "opted_out"],
        [(typeof(ContactLogEntry), "status")] = ["sent", "delivered", "bounced", "failed", "undelivered", "in_doubt"],
        [(typeof(DebtorView), "language")] = ["fr", "en"],
        [(typeof(CaseDebtor), "language")] = ["fr", "en"],
        [(typeof(CasesApi.DisputeResolution), "decision")] = ["uphold", "reject"],
        [(typeof(CasesApi.PlanDecision), "decision")] = ["accept", "refuse"],
        [(typeof(Litigation.LitigationApi.RouteChoice), "route")] = ["small_claims", "payment_order", "write_off"],
        [(typeof(Letters.LettersApi.TrackingReport), "mode")] = ["simple", "registered", "electronic_registered"],
    };

    /// <summary>
    /// Event types stay strings: the list grows with the engine, and a client generated today must still read an event of
    /// a type added tomorrow (an enum would make it throw). Their description lists today's.
    /// </summary>
    private static readonly (Type Type, string Property)[] EventTypeFields =
        [(typeof(CaseListApi.CaseListItem), "lastEvent"), (typeof(EventsApi.FeedEvent), "type")];

    /// <summary>
    /// The fields a request body needs, for the records whose fields are all nullable so that the handler can name each
    /// missing one in its 400 rather than fail to bind: the others may be left out.
    /// </summary>
    private static readonly Dictionary<Type, string[]> RequiredRequestFields = new()
    {
        [typeof(CasesApi.PaymentRequest)] = ["amount", "reference"],
        [typeof(CasesApi.CancelRequest)] = [],
        [typeof(CasesApi.DisputeResolution)] = ["decision"],
        [typeof(CasesApi.PlanDecision)] = ["decision"],
        [typeof(AdminApi.CreditorRequest)] = ["name"],
        [typeof(Litigation.LitigationApi.RouteChoice)] = ["route"],
        [typeof(Litigation.LitigationApi.OutcomeReport)] = ["outcome"],
        [typeof(Letters.LettersApi.TrackingReport)] = ["mode"],
    };

    private static Task ShapeSchema(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var numeric = JsonSchemaType.Number | JsonSchemaType.Integer;
        if (schema.Type is { } declared && (declared & numeric) != 0 && (declared & JsonSchemaType.String) != 0)
        {
            // The API reads numbers written as strings too, but writes numbers: a client should send and expect numbers.
            schema.Type = declared & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        if (type == typeof(JsonElement))
        {
            // An event's data: a small object whose fields depend on the event's type.
            schema.Type = JsonSchemaType.Object | NullIn(schema);
            schema.AdditionalPropertiesAllowed = true;
        }
        else if (type == typeof(decimal))
        {
            // Money: a generator maps "decimal" to a decimal type, where "double" would round cents.
            schema.Type = JsonSchemaType.Number | NullIn(schema);
            schema.Format = "decimal";
            schema.Pattern = null;
        }
        else if (type.IsEnum)
        {
            // The values as SnakeCaseEnums writes them (the framework cannot read them off a custom converter); an enum
            // used nullable somewhere says so with oneOf at that use, not with null among its values.
            schema.Type = JsonSchemaType.String;
            schema.Enum = [.. Enum.GetNames(type).Select(name => (JsonNode)JsonValue.Create(JsonNamingPolicy.SnakeCaseLower.ConvertName(name)))];
        }

        else if (schema.Items is null or OpenApiSchema { Type: null, Enum: null or { Count: 0 } } && (schema.Type & JsonSchemaType.Array) != 0
            && (type.IsArray ? type.GetElementType() : type.IsGenericType ? type.GetGenericArguments()[^1] : null) is { IsEnum: true } element)
        {
            // A list of enum values: the framework leaves its items undescribed behind a custom converter.
            schema.Items = new OpenApiSchemaReference(element.Name, context.Document);
        }

        if (RequiredRequestFields.TryGetValue(type, out var required))
        {
            schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
            foreach (var name in required)
            {
                if (schema.Properties?.TryGetValue(name, out var field) == true && field is OpenApiSchema { Type: { } fieldType } present)
                {
                    present.Type = fieldType & ~JsonSchemaType.Null;
                }
            }
        }

        foreach (var ((owner, property), values) in StringEnums)
        {
            if (owner == type && schema.Properties?.TryGetValue(property, out var field) == true && field is OpenApiSchema text)
            {
                var allowed = values.Select(value => (JsonNode)JsonValue.Create(value)).ToList();
                if (NullIn(text) != 0)
                {
                    allowed.Add(null!); // a nullable field lists null too, or a validator would refuse the nulls its type allows
                }

                text.Enum = allowed;
            }
        }

        foreach (var (owner, property) in EventTypeFields)
        {
            if (owner == type && schema.Properties?.TryGetValue(property, out var field) == true && field is OpenApiSchema text)
            {
                text.Description = "An event type, today one of: " + string.Join(", ", EventTypes.All) + ".";
            }
        }

        if (Examples.TryGetValue(type, out var example))
        {
            schema.Examples = [JsonNode.Parse(example)!];
        }

        return Task.CompletedTask;
    }

    private static JsonSchemaType NullIn(OpenApiSchema schema) => (schema.Type ?? 0) & JsonSchemaType.Null;

    private const string InvalidExample = """
        { "type": "https://tools.ietf.org/html/rfc9110#section-15.5.1", "title": "Bad request", "status": 400,
          "detail": "the request has invalid fields",
          "errors": [ { "field": "amount", "reason": "'12,5x' is not an amount (digits with at most 2 decimals, e.g. 42.50)" },
                      { "field": "debtor.email", "reason": "not an e-mail address" } ] }
        """;

    private static readonly Dictionary<Type, string> Examples = new()
    {
        [typeof(CaseRequest)] = """
            { "reference": "FAC-2026-000123", "amount": 42.50, "currency": "EUR", "issuedOn": "2026-09-12", "dueOn": "2026-10-12",
              "label": "Facture du 12/09/2026",
              "debtor": { "reference": "PAT-88121", "kind": "consumer", "name": "Marie Durand", "email": "marie.durand@example.org",
                          "phone": "+33612345678",
                          "address": { "line1": "3 rue des Lilas", "postalCode": "69003", "city": "Lyon", "country": "FR" } } }
            """,
        [typeof(CaseView)] = """
            { "reference": "FAC-2026-000123", "status": "active", "stage": 1, "amount": 42.50, "paid": 0.00, "balance": 42.50,
              "currency": "EUR", "issuedOn": "2026-09-12", "dueOn": "2026-10-12", "label": "Facture du 12/09/2026",
              "debtorReference": "PAT-88121",
              "nextStep": { "at": "2026-10-20T08:00:00+00:00", "action": "reminder", "stage": 2 },
              "closedReason": null,
              "history": [ { "at": "2026-10-13T08:00:00+00:00", "kind": "created", "detail": "42.50 EUR" },
                           { "at": "2026-10-13T08:00:00+00:00", "kind": "reminder_due", "detail": "stage 1: email+sms" } ],
              "dispute": null, "plan": null, "planProposal": null, "prescriptionOn": "2028-10-12" }
            """,
        [typeof(CasesApi.PaymentRequest)] = """
            { "amount": 42.50, "currency": "EUR", "receivedOn": "2026-10-20", "reference": "VIR-2026-10-20-0042", "method": "bank_transfer" }
            """,
        [typeof(CasesApi.BatchResult)] = """
            { "received": 2, "created": 1, "duplicate": 0, "conflict": 0, "invalid": 1, "failed": 0,
              "items": [ { "index": 0, "reference": "FAC-2026-000123", "status": "created", "errors": [] },
                         { "index": 1, "reference": "FAC-2026-000124", "status": "invalid",
                           "errors": [ { "field": "debtor.email", "reason": "not an e-mail address" } ] } ] }
            """,
        [typeof(ImportsApi.ImportResult)] = """
            { "lines": 2, "created": 1, "duplicate": 0, "conflict": 0, "invalid": 1, "failed": 0, "delimiter": ";",
              "warnings": [ { "line": 1, "field": "notes", "reason": "unknown column, ignored" } ],
              "results": [ { "line": 2, "reference": "FAC-2026-000123", "status": "created", "errors": [] },
                           { "line": 3, "reference": "FAC-2026-000124", "status": "invalid",
                             "errors": [ { "field": "due_on", "reason": "'31/02/2026' is not a date (YYYY-MM-DD or DD/MM/YYYY)" } ] } ] }
            """,
        [typeof(Problem)] = InvalidExample,
    };
}

/// <summary>
/// An error, as every endpoint answers it (RFC 9457 problem details, <c>application/problem+json</c>): the shape the
/// OpenAPI document declares for every error status.
/// </summary>
/// <param name="Errors">On a 400: each invalid field (a JSON path such as <c>debtor.email</c>, or a CSV column) and why.</param>
/// <param name="ExpectedColumns">On a 400 for a CSV header that cannot be used: the columns a file may have.</param>
public sealed record Problem(
    string Type, string Title, int Status, string? Detail = null, string? Instance = null, string? TraceId = null,
    IReadOnlyList<FieldError>? Errors = null, IReadOnlyList<string>? ExpectedColumns = null);
