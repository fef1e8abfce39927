global using Xunit;

// The product runs on Linux only (epoll, Unix-domain sockets, /proc), and so do its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// Each test starts real processes on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
