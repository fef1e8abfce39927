namespace Sozu.Net.Http2.Frames;

/// <summary>
/// The deprecated priority signal (RFC 9113 section 5.3.2) of a PRIORITY frame or a HEADERS
/// frame with the PRIORITY flag. Parsed so the frame is checked and its bytes skipped, and
/// otherwise ignored, as RFC 9113 allows. <see cref="Weight"/> is the wire value (weight - 1).
/// </summary>
public readonly record struct PriorityFields(int StreamDependency, bool Exclusive, byte Weight)
{
    public const int Size = 5;
}
