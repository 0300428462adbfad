//! Every error string a command can reply with, in one place, spelled as
//! Redis 7 spells it.

/// An error reply; the text includes its code ("ERR …", "WRONGTYPE …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CmdError {
    Static(&'static str),
    Owned(String),
}

pub type CmdResult = Result<(), CmdError>;

impl CmdError {
    pub fn text(&self) -> &str {
        match self {
            CmdError::Static(s) => s,
            CmdError::Owned(s) => s,
        }
    }
}

impl From<String> for CmdError {
    fn from(s: String) -> Self {
        CmdError::Owned(s)
    }
}

macro_rules! errors {
    ($($name:ident = $text:literal;)*) => {
        $(pub const $name: CmdError = CmdError::Static($text);)*
    };
}

errors! {
    WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    NOT_INTEGER = "ERR value is not an integer or out of range";
    NOT_FLOAT = "ERR value is not a valid float";
    SYNTAX = "ERR syntax error";
    OVERFLOW = "ERR increment or decrement would overflow";
    NO_SUCH_KEY = "ERR no such key";
    DB_INDEX = "ERR DB index is out of range";
    INDEX_OUT_OF_RANGE = "ERR index out of range";
    NAN_OR_INF = "ERR increment would produce NaN or Infinity";
    STRING_TOO_LONG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
    OFFSET_OUT_OF_RANGE = "ERR offset is out of range";
    NOAUTH = "NOAUTH Authentication required.";
    WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    SAME_OBJECT = "ERR source and destination objects are the same";
    TIMEOUT_NOT_FLOAT = "ERR timeout is not a float or out of range";
    TIMEOUT_NEGATIVE = "ERR timeout is negative";
    NOPROTO = "NOPROTO unsupported protocol version";
    MUST_BE_POSITIVE = "ERR value is out of range, must be positive";
}

pub fn wrong_arity(fullname: &str) -> CmdError {
    CmdError::Owned(format!("ERR wrong number of arguments for '{fullname}' command"))
}

pub fn invalid_expire(cmd: &str) -> CmdError {
    CmdError::Owned(format!("ERR invalid expire time in '{cmd}' command"))
}

/// `ERR unknown command 'x', with args beginning with: 'a' 'b' ` — as Redis,
/// the quoted arguments stop once they pass 128 bytes, each cut to fit.
pub fn unknown_command(name: &[u8], args: &[&[u8]]) -> CmdError {
    let mut quoted = String::new();
    for a in args {
        if quoted.len() >= 128 {
            break;
        }
        let room = 128 - quoted.len();
        quoted.push('\'');
        quoted.push_str(&clip(&a[..a.len().min(room)]));
        quoted.push_str("' ");
    }
    CmdError::Owned(format!("ERR unknown command '{}', with args beginning with: {quoted}", clip(name)))
}

pub fn unknown_subcommand(sub: &[u8], cmd: &str) -> CmdError {
    CmdError::Owned(format!("ERR unknown subcommand '{}'. Try {} HELP.", clip(sub), cmd.to_ascii_uppercase()))
}

/// Redis sanitizes names shown in errors: no newlines, at most 128 bytes.
fn clip(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(128)];
    String::from_utf8_lossy(cut).replace(['\r', '\n'], " ")
}
