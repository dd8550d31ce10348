import Foundation
import Testing
import LogWard

@Suite struct RunConfigTests {
    @Test func theExampleConfigResolvesPathsAgainstItsOwnFolder() throws {
        let config = try RunConfig.load(path: Fixtures.path("run/logward.yaml"))
        let root = Fixtures.repositoryRoot.path
        #expect(config.archive == root + "/out/archive")
        #expect(config.rulesDirectory == root + "/rules")
        #expect(config.keys == root + "/out/archive/keys")
        #expect(config.inputs.map(\.site) == ["groups.im", "zoomgroups.com"])
        #expect(config.inputs.map(\.label) == ["groups.im", "zoomgroups.com"])
        #expect(config.inputs[0].patterns == [root + "/fixtures/run/logs/groupsim/access.log.*.gz"])
        #expect(config.keepRaw)
        #expect(config.stats.sqlite == root + "/out/archive/stats.sqlite")
        #expect(config.stats.prometheus == root + "/out/logward.prom")
        #expect(InputDiscovery.files(matching: config.inputs[0].patterns) == [root + "/fixtures/run/logs/groupsim/access.log.1.gz"])
    }

    @Test func defaultsNeedOnlyAnArchiveAndInputs() throws {
        let config = try RunConfig.parse("archive: /var/lib/logward\ninputs:\n  - paths: /var/log/apache2/other_vhosts_access.log.*.gz\n    format: vhost_combined\n",
                                         file: "/etc/logward/logward.yaml")
        #expect(config.keys == "/var/lib/logward/keys")
        #expect(config.rulesDirectory == "/etc/logward/rules")
        #expect(config.inputs[0].label == "vhosts")
        #expect(config.inputs[0].site == nil)
        #expect(!config.keepRaw && config.onReject == .drop && config.maximumRejectRate == 0.05 && config.threads == 2)
        #expect(config.stats.sqlite == "/var/lib/logward/stats.sqlite")
    }

    @Test(arguments: [
        ("inputs: []\n", "c.yaml:1: missing required key 'archive'"),
        ("archive: a\n", "c.yaml:1: name at least one input"),
        ("archive: a\ninputs:\n  - paths: [x]\n    formt: combined\n", "c.yaml:4: unknown key 'formt'"),
        ("archive: a\ninputs:\n  - paths: [x]\n    format: '%h %Q'\n", "c.yaml:4: format: unknown directive '%Q'"),
        ("archive: a\ninputs:\n  - paths: [x]\nthreads: 65\n", "c.yaml:4: 'threads' must be a whole number from 1 to 64"),
        ("archive: a\ninputs:\n  - paths: [x]\n    label: ../etc\n", "c.yaml:4: label '../etc' must be a plain folder name"),
        ("archive: a\ninputs: [\n", "c.yaml:3: YAML syntax error"),
    ])
    func aBadConfigIsRefusedWithFileLineAndReason(text: String, message: String) {
        #expect(throws: RulesError.self) { try RunConfig.parse(text, file: "c.yaml") }
        do {
            _ = try RunConfig.parse(text, file: "c.yaml")
        } catch {
            #expect("\(error)".hasPrefix(message), "\(error)")
        }
    }
}
