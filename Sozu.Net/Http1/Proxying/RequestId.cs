using System.Runtime.CompilerServices;
using Sozu.Net.Http1.Editing;

namespace Sozu.Net.Http1.Proxying;

/// <summary>The request id of the exchange under way, held by value in the stage.</summary>
[InlineArray(RequestIdGenerator.Length)]
internal struct RequestId
{
    private byte _first;
}

/// <summary>The client's IP as text, rendered once per connection into the stage itself.</summary>
[InlineArray(46)]
internal struct ClientAddressText
{
    private byte _first;
}
