import Foundation

enum KeyStoreLocation {
    /// $LOGWARD_KEYS, else $XDG_STATE_HOME/logward/keys, else ~/.local/state/logward/keys.
    static var defaultPath: String {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["LOGWARD_KEYS"] { return path }
        let state = environment["XDG_STATE_HOME"] ?? ((environment["HOME"] ?? ".") + "/.local/state")
        return state + "/logward/keys"
    }
}
