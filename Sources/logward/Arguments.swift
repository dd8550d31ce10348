import ArgumentParser
import LogWard

// Library enums the argument parser reads and validates itself: a bad value is a usage error naming the choices.
extension GzipCodec: ExpressibleByArgument {}
extension RejectHandling: ExpressibleByArgument {}
