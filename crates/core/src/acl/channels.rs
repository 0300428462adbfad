//! The channel arguments of pub/sub commands, as Redis's
//! `getChannelsFromCommand` finds them for the ACL check. Only publishing
//! and subscribing are checked; unsubscribing never is.

use super::user::ChannelRef;

/// The channels `argv` names for the command `name` (its full name).
pub fn channels(name: &str, argv: &[&[u8]]) -> Vec<ChannelRef> {
    let all = |pattern| (1..argv.len()).map(|pos| ChannelRef { pos, pattern }).collect();
    match name {
        "publish" | "spublish" if argv.len() > 1 => vec![ChannelRef { pos: 1, pattern: false }],
        "subscribe" | "ssubscribe" => all(false),
        "psubscribe" => all(true),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn publish_and_subscribe_arguments() {
        let argv: [&[u8]; 3] = [b"subscribe", b"a", b"b"];
        let found: Vec<_> = channels("subscribe", &argv).iter().map(|c| (c.pos, c.pattern)).collect();
        assert_eq!(found, vec![(1, false), (2, false)]);
        let argv: [&[u8]; 2] = [b"psubscribe", b"n*"];
        assert!(channels("psubscribe", &argv)[0].pattern);
        let argv: [&[u8]; 3] = [b"publish", b"c", b"msg"];
        assert_eq!(channels("publish", &argv).len(), 1);
        let argv: [&[u8]; 2] = [b"unsubscribe", b"c"];
        assert!(channels("unsubscribe", &argv).is_empty());
    }
}
