import Foundation
import LogWard

enum KeyStoreLocation {
    /// $LOGWARD_KEYS, else $XDG_STATE_HOME/logward/keys, else ~/.local/state/logward/keys; none without a home.
    static func defaultPath() throws -> String {
        try KeyStore.defaultLocation(environment: ProcessInfo.processInfo.environment)
    }
}
