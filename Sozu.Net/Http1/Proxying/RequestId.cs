using System.Runtime.CompilerServices;
using Sozu.Net.Http1.Editing;

namespace Sozu.Net.Http1.Proxying;

/// <summary>The request id of the exchange under way, held by value in the stage.</summary>
[InlineArray(RequestIdGenerator.Length)]
internal struct RequestId
{
    private byte _first;
}
