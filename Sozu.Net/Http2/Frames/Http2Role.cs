namespace Sozu.Net.Http2.Frames;

/// <summary>
/// Which end of the connection reads the frames: a few rules depend on it (a server never
/// receives PUSH_PROMISE and sees client streams only on odd identifiers; a client refuses a
/// server's SETTINGS_ENABLE_PUSH of 1).
/// </summary>
public enum Http2Role : byte
{
    Server,
    Client,
}
