// The whole library: every layer, for the command line, the PostgreSQL store and the fuzz targets.
@_exported import LogWardAudit
