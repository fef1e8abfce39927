namespace Sozu.Net.Http2.Frames;

/// <summary>The verdict of <see cref="ClientPreface.Check"/>.</summary>
public enum PrefaceStatus : byte
{
    NeedMore,
    Valid,
    Invalid,
}
