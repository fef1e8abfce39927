namespace Sozu.Net.ProxyProtocol;

/// <summary>What <see cref="ProxyHeaderParser.Parse"/> made of the bytes it was given.</summary>
public enum ProxyParseStatus : byte
{
    /// <summary>Every byte so far fits a PROXY header, and it is not finished: read more, parse again from the start.</summary>
    NeedMore,

    /// <summary>A whole, valid header of <see cref="ProxyParseResult.Length"/> bytes.</summary>
    Complete,

    /// <summary>Not a PROXY header, or a malformed one (<see cref="ProxyParseResult.Error"/> says why).</summary>
    Invalid,
}
