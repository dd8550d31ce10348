// Whatever imports this layer sees the ones under it.
@_exported import LogWardPolicy
