using System.Globalization;
using System.Text.Json;
using Recouvrement.Api.Access;

namespace Recouvrement.Api.Cases;

/// <summary>The creditor's case endpoints under <c>/api/v1/cases</c>.</summary>
public static class CasesApi
{
    public const int MaxBatchItems = 10_000;
    public const long SingleBodyLimit = 64 * 1024;
    public const long BatchBodyLimit = 32 * 1024 * 1024;

    public static RouteGroupBuilder MapCasesApi(this RouteGroupBuilder api)
    {
        var cases = api.MapGroup("/cases").WithTags("Cases");
        cases.MapPost("/", CreateCase).WithName("createCase").Accepts<CaseRequest>("application/json")
            .WithSummary("Create one case: 201 created, 200 when the same case was already there")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        cases.MapPost("/batch", CreateBatch).WithName("createCases").Accepts<IReadOnlyList<CaseRequest>>("application/json")
            .WithSummary("Create up to 10,000 cases: one result per item, in order")
            .WithDescription("The body is a JSON array of cases, or an object `{\"cases\": [...]}` holding one. An invalid item is reported in its result and does not stop the others.")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
        cases.MapGet("/{reference}", GetCase).WithName("getCase").WithSummary("One case: status, stage, amounts, next step, history")
            .ProducesProblems(StatusCodes.Status404NotFound);
        cases.MapPost("/{reference}/payments", RecordPayment).WithName("recordPayment")
            .WithSummary("Record a payment received outside the engine: 201 recorded, 200 when this payment reference was already")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        cases.MapPost("/{reference}/hold", Hold).WithName("holdCase").WithSummary("Pause a case's schedule")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        cases.MapPost("/{reference}/resume", Resume).WithName("resumeCase").WithSummary("Resume a case on hold; its schedule shifts by the time spent on hold")
            .ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        cases.MapPost("/{reference}/cancel", Cancel).WithName("cancelCase").WithSummary("Cancel a case (closed, final)")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        cases.MapPost("/{reference}/dispute/resolution", ResolveDispute).WithName("resolveDispute")
            .WithSummary("Uphold a dispute (closes the case) or reject it (resumes it and tells the debtor why)")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        cases.MapPost("/{reference}/plan/decision", DecidePlan).WithName("decidePlan")
            .WithSummary("Accept or refuse a payment plan the debtor asked for outside the automatic rules")
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    /// <summary>The answer to one item of a batch.</summary>
    public sealed record BatchItemResult(int Index, string? Reference, IntakeStatus Status, IReadOnlyList<FieldError> Errors);

    /// <summary>The answer to a batch: counts, then every item in order.</summary>
    public sealed record BatchResult(int Received, int Created, int Duplicate, int Conflict, int Invalid, int Failed, IReadOnlyList<BatchItemResult> Items);

    public static async Task<Results<Created<CaseView>, Ok<CaseView>, ProblemHttpResult>> CreateCase(
        HttpContext context, CaseIntake intake, CancellationToken cancellationToken)
    {
        var creditor = CreditorKeyFilter.CreditorOf(context);
        using var document = await ParseJson(context.Request, SingleBodyLimit, cancellationToken);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return Problems.BadRequest(CaseJson.NotAnObject);
        }

        var item = ToItem(intake, 0, document.RootElement, Today(context));
        if (item.Draft is not { } draft)
        {
            return item.Failed ? Problems.Unavailable(context, item.Errors[0].Reason) : Problems.Invalid(item.Errors);
        }

        var outcome = (await intake.SubmitAsync(creditor, [new IntakeItem(0, draft.Reference, draft, [])], cancellationToken))[0];
        return outcome.Status switch
        {
            IntakeStatus.Created => TypedResults.Created($"/api/v1/cases/{Uri.EscapeDataString(draft.Reference)}", await Grain(context, draft.Reference).Get()),
            IntakeStatus.Duplicate => TypedResults.Ok(await Grain(context, draft.Reference).Get()),
            IntakeStatus.Conflict => Problems.Conflict("a case with this reference exists with different content"),
            _ => Problems.Unavailable(context, outcome.Errors[0].Reason),
        };
    }

    public static async Task<Results<Ok<BatchResult>, ProblemHttpResult>> CreateBatch(
        HttpContext context, CaseIntake intake, CancellationToken cancellationToken)
    {
        var creditor = CreditorKeyFilter.CreditorOf(context);
        using var document = await ParseJson(context.Request, BatchBodyLimit, cancellationToken);
        var root = document.RootElement;
        var array = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("cases", out var wrapped) ? wrapped : root;
        if (array.ValueKind != JsonValueKind.Array)
        {
            return Problems.BadRequest("the body must be a JSON array of cases (or an object with a 'cases' array)");
        }

        var count = array.GetArrayLength();
        if (count > MaxBatchItems)
        {
            return Problems.TooLarge($"a batch holds at most {MaxBatchItems} cases; this one has {count}: split it");
        }

        var items = new List<IntakeItem>(count);
        var index = 0;
        var today = Today(context);
        foreach (var element in array.EnumerateArray())
        {
            items.Add(ToItem(intake, index++, element, today));
        }

        var outcomes = await intake.SubmitAsync(creditor, items, cancellationToken);
        var results = outcomes.Select(o => new BatchItemResult(o.Position, o.Reference, o.Status, o.Errors)).ToList();
        return TypedResults.Ok(new BatchResult(count,
            results.Count(r => r.Status == IntakeStatus.Created), results.Count(r => r.Status == IntakeStatus.Duplicate),
            results.Count(r => r.Status == IntakeStatus.Conflict), results.Count(r => r.Status == IntakeStatus.Invalid),
            results.Count(r => r.Status == IntakeStatus.Failed), results));
    }

    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> GetCase(HttpContext context, string reference) =>
        await Grain(context, reference).Get() is { } view ? TypedResults.Ok(view) : Problems.NotFound($"no case '{reference}'");

    /// <summary>A payment the creditor received outside the engine, such as a bank transfer.</summary>
    public sealed record PaymentRequest(decimal? Amount, string? Currency, DateOnly? ReceivedOn, string? Reference, string? Method);

    /// <remarks>
    /// A payment larger than the balance is accepted: money received is never refused. The case is paid, and its
    /// history records the overpayment (<c>overpayment</c>, with the amount) for the creditor to refund.
    /// </remarks>
    public static async Task<Results<Created<CaseView>, Ok<CaseView>, ProblemHttpResult>> RecordPayment(
        HttpContext context, string reference, PaymentRequest payment, [FromKeyedServices(EngineClock.Key)] TimeProvider clock)
    {
        var errors = new List<FieldError>();
        var today = Prescription.Today(clock);
        if (payment.Amount is not > 0m || decimal.Round(payment.Amount.Value, 2) != payment.Amount.Value)
        {
            errors.Add(new("amount", "a positive amount with at most 2 decimals is required"));
        }

        if (string.IsNullOrWhiteSpace(payment.Reference) || payment.Reference.Length > 100)
        {
            errors.Add(new("reference", "the payment's own reference (e.g. the bank transfer id, at most 100 characters) is required"));
        }

        if (payment.ReceivedOn > today)
        {
            errors.Add(new("receivedOn", $"in the future: a payment is recorded once received (today is {today:yyyy-MM-dd})"));
        }

        if (payment.Method?.Trim().Length > 50)
        {
            errors.Add(new("method", "at most 50 characters, e.g. bank_transfer, cheque, cash"));
        }

        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }

        var grain = Grain(context, reference);
        if (payment.ReceivedOn is { } receivedOn)
        {
            if (await grain.Get() is not { } view)
            {
                return Problems.NotFound($"no case '{reference}'");
            }

            if (receivedOn < view.IssuedOn)
            {
                return Problems.Invalid([new FieldError("receivedOn", $"before the invoice was issued ({view.IssuedOn:yyyy-MM-dd})")]);
            }
        }

        var receipt = new PaymentReceipt(payment.Reference!.Trim(), payment.Amount!.Value, payment.Currency?.ToUpperInvariant() ?? "EUR",
            payment.ReceivedOn ?? today, payment.Method?.Trim() is { Length: > 0 } m ? m : "bank_transfer");
        var result = await grain.RecordPayment(receipt);
        return result.Outcome switch
        {
            CaseActionOutcome.Applied => TypedResults.Created($"/api/v1/cases/{Uri.EscapeDataString(reference)}", result.Case),
            CaseActionOutcome.AlreadyApplied => TypedResults.Ok(result.Case),
            CaseActionOutcome.NotFound => Problems.NotFound($"no case '{reference}'"),
            _ => Problems.Conflict(result.Reason ?? "refused"),
        };
    }

    public static Task<Results<Ok<CaseView>, ProblemHttpResult>> Hold(HttpContext context, string reference) =>
        Answer(Grain(context, reference).Hold(), reference);

    public static Task<Results<Ok<CaseView>, ProblemHttpResult>> Resume(HttpContext context, string reference) =>
        Answer(Grain(context, reference).Resume(), reference);

    /// <summary>Why the creditor cancels a case.</summary>
    public sealed record CancelRequest(string? Reason);

    public static Task<Results<Ok<CaseView>, ProblemHttpResult>> Cancel(HttpContext context, string reference, CancelRequest? body) =>
        Answer(Grain(context, reference).Cancel(body?.Reason?.Trim() is { Length: > 0 } r ? r[..Math.Min(r.Length, 200)] : "cancelled by the creditor"), reference);

    /// <summary>The creditor's answer to a dispute: <c>uphold</c> closes the case, <c>reject</c> resumes it; the note is sent to the debtor on a rejection.</summary>
    public sealed record DisputeResolution(string? Decision, string? Note);

    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> ResolveDispute(HttpContext context, string reference, DisputeResolution body)
    {
        var note = body.Note?.Trim();
        var errors = new List<FieldError>();
        if (body.Decision is not ("uphold" or "reject"))
        {
            errors.Add(new("decision", "uphold or reject"));
        }

        if (body.Decision == "reject" && string.IsNullOrEmpty(note) || note?.Length > 1000)
        {
            errors.Add(new("note", "a rejection tells the debtor why: 1 to 1000 characters"));
        }

        return errors.Count > 0 ? Problems.Invalid(errors) : await Answer(Grain(context, reference).ResolveDispute(body.Decision == "uphold", note), reference);
    }

    /// <summary>The creditor's answer to a plan proposed outside its automatic rules: <c>accept</c> or <c>refuse</c>.</summary>
    public sealed record PlanDecision(string? Decision, string? Note);

    public static async Task<Results<Ok<CaseView>, ProblemHttpResult>> DecidePlan(HttpContext context, string reference, PlanDecision body) =>
        body.Decision is "accept" or "refuse"
            ? await Answer(Grain(context, reference).DecidePlan(body.Decision == "accept", body.Note?.Trim() is { Length: > 0 and <= 1000 } n ? n : null), reference)
            : Problems.Invalid([new FieldError("decision", "accept or refuse")]);

    private static async Task<Results<Ok<CaseView>, ProblemHttpResult>> Answer(Task<CaseActionResult> action, string reference)
    {
        var result = await action;
        return result.Outcome switch
        {
            CaseActionOutcome.Applied or CaseActionOutcome.AlreadyApplied => TypedResults.Ok(result.Case),
            CaseActionOutcome.NotFound => Problems.NotFound($"no case '{reference}'"),
            _ => Problems.Conflict(result.Reason ?? "refused"),
        };
    }

    private static ICaseGrain Grain(HttpContext context, string reference) =>
        context.RequestServices.GetRequiredService<IGrainFactory>()
            .Reference<ICaseGrain>(GrainKeys.Compose(CreditorKeyFilter.CreditorOf(context), reference));

    /// <summary>One case read and validated; anything unexpected in doing so is this item's failure, not the request's.</summary>
    private static DateOnly Today(HttpContext context) => Prescription.Today(context.RequestServices.GetRequiredKeyedService<TimeProvider>(EngineClock.Key));

    private static IntakeItem ToItem(CaseIntake intake, int index, JsonElement element, DateOnly today) =>
        intake.Prepare(index, () =>
        {
            var (input, problems) = CaseJson.Read(element);
            if (problems.Count > 0)
            {
                return new IntakeItem(index, Reference(input), null, problems);
            }

            var (draft, errors) = CaseValidation.Validate(input, FieldNames.Json, decimalComma: false, today);
            return new IntakeItem(index, draft?.Reference ?? Reference(input), draft, errors);
        });

    /// <summary>The reference as the sender gave it, to name the item in the answer, if it is one that can be shown.</summary>
    private static string? Reference(CaseInput input) => input.Reference is { Length: <= 64 } r ? r : null;

    private static async Task<JsonDocument> ParseJson(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
        {
            throw new UnsupportedBodyException($"expected application/json, not {type}");
        }

        var body = await RequestBody.ReadAsync(request, limit, cancellationToken);
        try
        {
            return JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException error)
        {
            throw new InvalidBodyException(string.Create(CultureInfo.InvariantCulture,
                $"the body is not valid JSON (line {error.LineNumber + 1}, byte {error.BytePositionInLine + 1})"));
        }
    }
}

/// <summary>A body that cannot be read as the endpoint expects; answered with 400.</summary>
public sealed class InvalidBodyException(string message) : Exception(message);

/// <summary>A body of the wrong media type; answered with 415.</summary>
public sealed class UnsupportedBodyException(string message) : Exception(message);
