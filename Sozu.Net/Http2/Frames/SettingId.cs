namespace Sozu.Net.Http2.Frames;

/// <summary>The settings of RFC 9113 section 6.5.2 and RFC 8441; any other identifier is ignored on receipt.</summary>
public enum SettingId : ushort
{
    HeaderTableSize = 0x1,
    EnablePush = 0x2,
    MaxConcurrentStreams = 0x3,
    InitialWindowSize = 0x4,
    MaxFrameSize = 0x5,
    MaxHeaderListSize = 0x6,
    EnableConnectProtocol = 0x8,
}
