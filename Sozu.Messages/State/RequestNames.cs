using System.Text;
using Sozu.Messages.Requests;

namespace Sozu.Messages.State;

/// <summary>The snake_case wire name of a request type ("AddHttpFrontend" → "add_http_frontend"), for error messages.</summary>
public static class RequestNames
{
    public static string Of(Request? request)
    {
        if (request is null)
        {
            return "null";
        }
        var name = request.GetType().Name;
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                if (i > 0)
                {
                    builder.Append('_');
                }
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }
}
