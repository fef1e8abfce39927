global using Xunit;

// The product runs on Linux only (epoll, Unix-domain sockets, file modes), and so do its tests.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
