import LogWardThreads
// The C library (open, fsync, rename, read, write...), imported once for the whole library: each layer re-exports
// the one below it, so every file that imports its layer has it. Glibc on Linux, Darwin on macOS.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif
