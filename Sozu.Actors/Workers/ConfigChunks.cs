using Sozu.Messages.Collections;
using Sozu.Messages.Config;
using Sozu.Messages.Requests;

namespace Sozu.Actors.Workers;

/// <summary>
/// Cuts a list of configuration requests into pieces that each fit well inside one remoting
/// frame (maximum-frame-size, 4 MiB in the shipped HOCON): a state of 20,000 clusters, or a
/// reload full of certificates, then travels as several messages instead of one the transport
/// would refuse.
///
/// The size of a request is estimated, not serialized (that would double the work of every
/// sync): <see cref="BaseBytes"/> per request, plus what the few unbounded fields hold
/// (certificates, chains and keys; listener answers), counted at 3 bytes a character. Measured
/// with Hyperion: 118 bytes per frontend in a message of 1,000 (MessageSerializerBenchmarks),
/// and a state of 25,000 clusters with a frontend and two backends each (100,002 requests)
/// 5,095,723 bytes as one SyncState, 51 bytes a request. The base is twice the larger of those,
/// and a piece at most a quarter of the frame.
/// </summary>
public static class ConfigChunks
{
    /// <summary>The estimate of a request without certificate or answers, in bytes.</summary>
    public const int BaseBytes = 256;

    /// <summary>Estimated bytes per piece: a quarter of the shipped 4 MiB frame.</summary>
    public const int DefaultBudgetBytes = 1 << 20;

    /// <summary>
    /// Consecutive pieces of <paramref name="requests"/>, in order, each holding at least one
    /// request and at most <paramref name="budgetBytes"/> estimated bytes (a single request
    /// larger than that is a piece of its own). An empty list gives one empty piece, so a sync
    /// to an empty state still travels.
    /// </summary>
    public static List<ValueList<ConfigRequest>> Split(IReadOnlyList<ConfigRequest> requests, int budgetBytes = DefaultBudgetBytes)
    {
        ArgumentNullException.ThrowIfNull(requests);
        ArgumentOutOfRangeException.ThrowIfLessThan(budgetBytes, BaseBytes);
        var pieces = new List<ValueList<ConfigRequest>>();
        var start = 0;
        long bytes = 0;
        for (var i = 0; i < requests.Count; i++)
        {
            var size = EstimateBytes(requests[i]);
            if (i > start && bytes + size > budgetBytes)
            {
                pieces.Add(Slice(requests, start, i));
                start = i;
                bytes = 0;
            }
            bytes += size;
        }
        if (start < requests.Count || pieces.Count == 0)
        {
            pieces.Add(Slice(requests, start, requests.Count));
        }
        return pieces;
    }

    /// <summary>An upper estimate of the bytes <paramref name="request"/> takes on the wire.</summary>
    public static long EstimateBytes(ConfigRequest request) => BaseBytes + request switch
    {
        AddCertificate add => Bytes(add.Certificate),
        ReplaceCertificate replace => Bytes(replace.NewCertificate),
        AddHttpListener http => Bytes(http.Listener.Answers),
        AddHttpsListener https => Bytes(https.Listener.Answers),
        UpdateHttpListener http => Bytes(http.Answers),
        UpdateHttpsListener https => Bytes(https.Answers),
        _ => 0,
    };

    // UTF-8 takes at most 3 bytes per UTF-16 unit; PEM and answers are mostly ASCII, but an
    // answer page may not be.
    private static long Bytes(string? text) => text is null ? 0 : 3L * text.Length;

    private static long Bytes(CertificateAndKey certificate)
    {
        var total = Bytes(certificate.Certificate) + Bytes(certificate.Key);
        foreach (var link in certificate.CertificateChain)
        {
            total += Bytes(link);
        }
        foreach (var name in certificate.Names)
        {
            total += Bytes(name);
        }
        return total;
    }

    private static long Bytes(StringMap? answers)
    {
        long total = 0;
        if (answers is null)
        {
            return total;
        }
        foreach (var pair in answers)
        {
            total += Bytes(pair.Key) + Bytes(pair.Value);
        }
        return total;
    }

    private static ValueList<ConfigRequest> Slice(IReadOnlyList<ConfigRequest> requests, int start, int end)
    {
        var piece = new ConfigRequest[end - start];
        for (var i = start; i < end; i++)
        {
            piece[i - start] = requests[i];
        }
        return ValueList<ConfigRequest>.From(piece);
    }
}
