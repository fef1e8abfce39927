namespace Sozu.Net.Http2.Frames;

/// <summary>One identifier/value pair of a SETTINGS frame (6 bytes on the wire).</summary>
public readonly record struct Setting(SettingId Id, uint Value)
{
    public const int Size = 6;
}
