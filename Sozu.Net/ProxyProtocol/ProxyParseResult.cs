namespace Sozu.Net.ProxyProtocol;

/// <summary>A parse outcome, by value: the status, the header's length in bytes, the header or the reason it was refused.</summary>
public readonly struct ProxyParseResult
{
    private ProxyParseResult(ProxyParseStatus status, int length, ProxyHeaderError error, ProxyHeader header)
    {
        Status = status;
        Length = length;
        Error = error;
        Header = header;
    }

    public ProxyParseStatus Status { get; }

    /// <summary>Bytes the header takes at the start of the input (Complete only); what follows belongs to the next protocol.</summary>
    public int Length { get; }

    public ProxyHeaderError Error { get; }

    /// <summary>Meaningful when <see cref="Status"/> is <see cref="ProxyParseStatus.Complete"/>.</summary>
    public ProxyHeader Header { get; }

    public static ProxyParseResult NeedMore => default;

    public static ProxyParseResult Complete(int length, in ProxyHeader header) => new(ProxyParseStatus.Complete, length, ProxyHeaderError.None, header);

    public static ProxyParseResult Invalid(ProxyHeaderError error) => new(ProxyParseStatus.Invalid, 0, error, default);

    public override string ToString() => Status switch
    {
        ProxyParseStatus.Complete => $"Complete({Length}, v{Header.Version}, {(Header.HasAddresses ? $"{Header.Source} -> {Header.Destination}" : "no addresses")})",
        ProxyParseStatus.Invalid => $"Invalid({Error})",
        _ => "NeedMore",
    };
}
