namespace Sozu.Net.Http1.Proxying;

internal enum ResponsePhase : byte
{
    Head,
    Body,
    Done,
}
