import Testing
import LogWard

@Suite struct LogFormatTests {
    @Test func combinedCompilesToQuotedAndUnquotedFields() throws {
        let format = try LogFormat("combined")
        #expect(format.dialect == .apache)
        #expect(format.leading == [])
        #expect(format.fields.map(\.kind) == [
            .clientAddress, .identity, .remoteUser, .timeLocal, .request, .status, .responseBytes, .referrer, .userAgent,
        ])
        #expect(format.fields.map(\.quoted) == [false, false, false, false, true, false, false, true, true])
        #expect(format.fields.map { String(decoding: $0.terminator, as: UTF8.self) } == [" ", " ", " [", "] ", " ", " ", " ", " ", ""])
    }

    @Test func nginxMainCompilesToTheSameKindsAsCombined() throws {
        let nginx = try LogFormat("nginx")
        let combined = try LogFormat("combined")
        #expect(nginx.dialect == .nginx)
        // nginx writes the identd column as a literal `-`; the rest lines up with Apache's combined.
        #expect(nginx.fields.map(\.kind) == combined.fields.map(\.kind).filter { $0 != .identity })
    }

    @Test func configFileEscapesAreAccepted() throws {
        let escaped = try LogFormat(#"%h %l %u %t \"%r\" %>s %b"#)
        let plain = try LogFormat("common")
        #expect(escaped.fields == plain.fields)
    }

    @Test func headerDirectivesMapToFieldKinds() throws {
        let format = try LogFormat(#"%v %a "%{X-Forwarded-For}i" "%{Cookie}i" %D %T "%{Accept-Language}i" %{sessionid}C"#)
        #expect(format.fields.map(\.kind) == [
            .virtualHost, .clientAddress, .forwardedFor, .cookie, .durationMicroseconds, .durationSeconds,
            .header("accept-language"), .cookie,
        ])
        let nginx = try LogFormat(#"$host $remote_addr "$http_x_forwarded_for" "$http_cookie" $request_time $time_iso8601 $bytes_sent"#)
        #expect(nginx.fields.map(\.kind) == [
            .virtualHost, .clientAddress, .forwardedFor, .cookie, .durationSeconds, .timeISO8601, .bytesSent,
        ])
    }

    @Test(arguments: [
        ("", FormatError.empty),
        ("fancy", FormatError.unknownPreset("fancy")),
        ("%h %Z", FormatError.unknownDirective("%Z", position: 3)),
        ("%h %{Referer", FormatError.unterminatedBraces(position: 4)),
        ("%h%u", FormatError.adjacentFields("%h", "%u")),
        ("just text here", FormatError.noFields),
    ])
    func badFormatsAreRefusedWithAReason(string: String, error: FormatError) {
        #expect(throws: error) { try LogFormat(string) }
    }
}
