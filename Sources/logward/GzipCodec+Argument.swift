import ArgumentParser
import LogWard

extension GzipCodec: ExpressibleByArgument {}
