//! Every error string the server replies with, byte-exact to Redis 7.0.
//! Messages carry their code (`ERR`, `WRONGTYPE`, ...) so that INFO
//! errorstats can count them by the first word.

pub const SYNTAX: &str = "ERR syntax error";
pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
/// getIntFromObjectOrReply's message for an integer outside the C `int` range.
pub const INT_RANGE: &str =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
pub const NOT_FLOAT: &str = "ERR value is not a valid float";
pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";
pub const NO_SUCH_KEY: &str = "ERR no such key";
/// OBJECT IDLETIME under an LFU policy, OBJECT FREQ under any other.
pub const IDLETIME_UNDER_LFU: &str = "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
pub const FREQ_WITHOUT_LFU: &str = "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";
pub const OVERFLOW: &str = "ERR increment or decrement would overflow";
pub const NAN_OR_INF: &str = "ERR increment would produce NaN or Infinity";
pub const DB_INDEX_RANGE: &str = "ERR DB index is out of range";
pub const INVALID_DB_INDEX: &str = "ERR invalid DB index";
pub const SAME_OBJECT: &str = "ERR source and destination objects are the same";
pub const INVALID_CURSOR: &str = "ERR invalid cursor";
pub const STRING_TOO_BIG: &str = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
pub const OFFSET_RANGE: &str = "ERR offset is out of range";
pub const NOAUTH: &str = "NOAUTH Authentication required.";
pub const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";
pub const AUTH_NOT_CONFIGURED: &str = "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?";
/// Sent (with its CRLF) to a non-loopback client while protected mode is on
/// and no password is set, before closing the connection.
pub const PROTECTED_MODE: &str = "-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. In this mode connections are only accepted from the loopback interface. If you want to connect from external computers to Redis you may adopt one of the following solutions: 1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. 2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. 3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. 4) Setup a an authentication password for the default user. NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n";
pub const MAX_CLIENTS: &str = "ERR max number of clients reached";
pub const EXPIRE_OPTS_NX: &str =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
pub const EXPIRE_OPTS_GT_LT: &str = "ERR GT and LT options at the same time are not compatible";
pub const CLIENT_NAME_SPACES: &str =
    "ERR Client names cannot contain spaces, newlines or special characters.";
pub const NO_SUCH_CLIENT: &str = "ERR No such client";
pub const TIMEOUT_NOT_FLOAT: &str = "ERR timeout is not a float or out of range";
pub const TIMEOUT_NEGATIVE: &str = "ERR timeout is negative";
pub const UNBLOCKED: &str = "UNBLOCKED client unblocked via CLIENT UNBLOCK";
pub const MISCONF: &str = "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.";
pub const BGSAVE_IN_PROGRESS: &str = "ERR Background save already in progress";
pub const NOPROTO: &str = "NOPROTO unsupported protocol version";
pub const DEBUG_LOCAL_ONLY: &str = "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.";

/// `ERR wrong number of arguments for 'get' command`
pub fn wrong_arity(name: &str) -> String {
    format!("ERR wrong number of arguments for '{name}' command")
}

/// `ERR unknown command 'foo', with args beginning with: 'a' 'b' `
/// The name is cut at 128 bytes; arguments are listed while the list is
/// shorter than 128 bytes, each cut to what is left of those 128.
pub fn unknown_command(name: &[u8], args: &[&[u8]]) -> String {
    let mut list = String::new();
    for a in args {
        if list.len() >= 128 {
            break;
        }
        let room = 128 - list.len();
        list.push('\'');
        list.push_str(&clip(a, room));
        list.push_str("' ");
    }
    format!(
        "ERR unknown command '{}', with args beginning with: {list}",
        clip(name, 128)
    )
}

/// `ERR unknown subcommand 'foo'. Try CONFIG HELP.`
pub fn unknown_subcommand(sub: &[u8], cmd: &str) -> String {
    format!(
        "ERR unknown subcommand '{}'. Try {} HELP.",
        clip(sub, 128),
        cmd.to_ascii_uppercase()
    )
}

/// `ERR unknown subcommand or wrong number of arguments for 'foo'. Try
/// XINFO HELP.` (addReplySubcommandSyntaxError)
pub fn subcommand_syntax(sub: &[u8], cmd: &str) -> String {
    format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try {} HELP.",
        clip(sub, 128),
        cmd.to_ascii_uppercase()
    )
}

/// `ERR invalid expire time in 'set' command`
pub fn invalid_expire(cmd: &str) -> String {
    format!("ERR invalid expire time in '{cmd}' command")
}

/// Text of a client-supplied byte string inside an error: at most `max`
/// bytes, with bytes that would break the reply line replaced. It ends at
/// a NUL byte, as Redis's `%s` of the argument does.
pub fn clip(b: &[u8], max: usize) -> String {
    let b = &b[..memchr::memchr(0, b).unwrap_or(b.len()).min(max)];
    String::from_utf8_lossy(b)
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect()
}
