namespace Recouvrement;

/// <summary>
/// The database cannot take a storage operation now: it cannot be reached, or too many operations are already
/// waiting for it. The operation did not complete (a grain reads its state again before its next call); the API
/// answers 503 with Retry-After, and the caller retries.
/// </summary>
public sealed class StorageUnavailableException : Orleans.Runtime.OrleansException
{
    public StorageUnavailableException(string message)
        : base(message)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
