using Microsoft.AspNetCore.Http.Features;

namespace Recouvrement.Api;

/// <summary>Thrown when a request body is over its endpoint's limit; answered with 413.</summary>
public sealed class BodyTooLargeException(long limit)
    : Exception($"the request body is over the limit of {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>Reads a request body whole, refusing more than a limit before reading it all into memory.</summary>
public static class RequestBody
{
    public static async Task<byte[]> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            throw new BodyTooLargeException(limit);
        }

        // The server's own cap (Kestrel's 30 MB by default) gives way to the endpoint's, which this method enforces.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } cap)
        {
            cap.MaxRequestBodySize = limit;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new BodyTooLargeException(limit);
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
