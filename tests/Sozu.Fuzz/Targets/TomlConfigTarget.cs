using System.Text;
using Sozu.Messages.State;
using Sozu.Messages.Toml;

namespace Sozu.Fuzz.Targets;

/// <summary>The config.toml loader (<see cref="ConfigFileLoader.Parse"/>) on text, without reading the file from disk.</summary>
public sealed class TomlConfigTarget : FuzzTarget
{
    // A folder that does not exist: relative paths the text names (certificates, answers) are
    // never found, so the fuzzer exercises the loader, not the file system.
    private const string SourcePath = "/nonexistent-sozu-fuzz/config.toml";

    public override string Name => "toml-config";

    public override string Checks =>
        "never throws; a failure lists at least one error, each naming the file with a line and column >= 0 and a message; "
        + "a loaded config's requests apply in order to an empty ConfigState (the loader's promise)";

    public override void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = ConfigFileLoader.Parse(text, SourcePath);
        switch (result)
        {
            case LoadFailed failed:
                Invariant.That(failed.Errors.Count > 0, "a failed load reports at least one error");
                foreach (var error in failed.Errors)
                {
                    Invariant.That(string.Equals(error.File, SourcePath, StringComparison.Ordinal) && error.Line >= 0 && error.Column >= 0 && !string.IsNullOrEmpty(error.Message), "an error names the file, a place and a message");
                }
                break;
            case LoadedConfig loaded:
                Invariant.That(string.Equals(loaded.SourcePath, SourcePath, StringComparison.Ordinal), "a loaded config names its file");
                var applied = ConfigState.Empty.ApplyAll(loaded.Requests);
                if (applied.Error is not null)
                {
                    Invariant.Fail($"a loaded config's requests do not apply to an empty state: {applied.Error}");
                }
                break;
            default:
                Invariant.Fail($"the loader returned {result?.GetType().Name ?? "null"}");
                break;
        }
    }
}
