namespace Sozu.Net.Http2.Frames;

/// <summary>The protocol's fixed bounds and initial values (RFC 9113 sections 6.5.2 and 6.9).</summary>
public static class Http2Limits
{
    /// <summary>SETTINGS_MAX_FRAME_SIZE's initial value, and the smallest it may be set to.</summary>
    public const int DefaultMaxFrameSize = 16_384;

    /// <summary>The largest SETTINGS_MAX_FRAME_SIZE: 2^24 - 1.</summary>
    public const int MaxMaxFrameSize = FrameHeader.MaxLength;

    /// <summary>The largest flow-control window and SETTINGS_INITIAL_WINDOW_SIZE: 2^31 - 1.</summary>
    public const int MaxWindowSize = int.MaxValue;

    /// <summary>SETTINGS_INITIAL_WINDOW_SIZE's initial value, and every window's at the start.</summary>
    public const int DefaultInitialWindowSize = 65_535;

    /// <summary>SETTINGS_HEADER_TABLE_SIZE's initial value.</summary>
    public const int DefaultHeaderTableSize = 4_096;

    /// <summary>The largest stream identifier: 2^31 - 1.</summary>
    public const int MaxStreamId = int.MaxValue;
}
