namespace Sozu.Net.Loop;

/// <summary>
/// The handlers registered with epoll, addressed by token. A token is the slot index plus a
/// generation, so an event still queued in the current epoll batch for an fd that was just
/// closed cannot reach the handler that reused its slot.
/// </summary>
internal sealed class HandlerSlab
{
    private IReadyHandler?[] _handlers = new IReadyHandler?[256];
    private uint[] _generations = new uint[256];
    private int[] _free = new int[256];
    private int _freeCount;
    private int _next;

    public int Count { get; private set; }

    public ulong Add(IReadyHandler handler)
    {
        int index;
        if (_freeCount > 0)
        {
            index = _free[--_freeCount];
        }
        else
        {
            if (_next == _handlers.Length)
            {
                Array.Resize(ref _handlers, _next * 2);
                Array.Resize(ref _generations, _next * 2);
            }
            index = _next++;
        }
        _handlers[index] = handler;
        Count++;
        return ((ulong)_generations[index] << 32) | (uint)index;
    }

    public void Remove(ulong token)
    {
        var index = (int)(uint)token;
        if ((uint)index >= (uint)_next || _generations[index] != (uint)(token >> 32) || _handlers[index] is null)
        {
            return;
        }
        _handlers[index] = null;
        _generations[index]++;
        if (_freeCount == _free.Length)
        {
            Array.Resize(ref _free, _free.Length * 2);
        }
        _free[_freeCount++] = index;
        Count--;
    }

    public IReadyHandler? Get(ulong token)
    {
        var index = (int)(uint)token;
        return (uint)index < (uint)_next && _generations[index] == (uint)(token >> 32) ? _handlers[index] : null;
    }
}
