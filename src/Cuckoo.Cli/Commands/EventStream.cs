using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Cuckoo.Cli.Commands;

/// <summary>
/// Server-sent events of a response body, parsed by the BCL's <see cref="SseParser"/>, for the admin and gateway clients.
/// A connection cut off mid-stream (IOException, HttpRequestException) is handed to <c>onCut</c>: return to end the
/// stream there, throw to fail with the caller's sentence.
/// </summary>
internal static class EventStream
{
    public static async IAsyncEnumerable<SseItem<string>> ReadAsync(Stream body, Action<Exception> onCut, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var items = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await items.MoveNextAsync();
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                onCut(e);
                more = false;
            }
            if (!more)
            {
                yield break;
            }
            yield return items.Current;
        }
    }
}
