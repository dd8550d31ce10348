// Every layer above sees the threads' parts (the ring, the read-ahead, the ordered results) through this one.
@_exported import LogWardThreads
