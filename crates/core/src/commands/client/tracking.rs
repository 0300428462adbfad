//! CLIENT TRACKING CACHING GETREDIR TRACKINGINFO: a connection's
//! client-side caching settings (the invalidation machinery is in
//! `crate::tracking`).

use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::tracking::{ClientTracking, Tracking};

/// CLIENT TRACKING <ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]]
///   [BCAST] [OPTIN] [OPTOUT] [NOLOOP]
pub(super) fn tracking(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut options = ClientTracking::default();
    let mut prefixes: Vec<&[u8]> = Vec::new();
    let mut redirect_handle = 0;
    let mut j = 3;
    while j < argv.len() {
        let more = j + 1 < argv.len();
        let opt = argv[j];
        if is(opt, "redirect") && more {
            j += 1;
            if options.redirect != 0 {
                return Err(CmdError::Static("ERR A client can only redirect to a single other client"));
            }
            let id = args::int(argv[j])?;
            // The client must exist now, though it may leave later.
            let target = if id == ctx.client.id as i64 {
                Some(ctx.client.handle)
            } else {
                ctx.others.iter().flatten().find(|c| c.id as i64 == id && !c.close_after_reply).map(|c| c.handle)
            };
            let Some(handle) = target else {
                return Err(CmdError::Static("ERR The client ID you want redirect to does not exist"));
            };
            options.redirect = id as u64;
            redirect_handle = handle;
        } else if is(opt, "bcast") {
            options.bcast = true;
        } else if is(opt, "optin") {
            options.optin = true;
        } else if is(opt, "optout") {
            options.optout = true;
        } else if is(opt, "noloop") {
            options.noloop = true;
        } else if is(opt, "prefix") && more {
            j += 1;
            prefixes.push(argv[j]);
        } else {
            return Err(errors::SYNTAX);
        }
        j += 1;
    }
    if is(argv[2], "on") {
        let current = &ctx.client.tracking;
        if !options.bcast && !prefixes.is_empty() {
            return Err(CmdError::Static("ERR PREFIX option requires BCAST mode to be enabled"));
        }
        if current.on && current.bcast != options.bcast {
            return Err(CmdError::Static(
                "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.",
            ));
        }
        if options.bcast && (options.optin || options.optout) {
            return Err(CmdError::Static("ERR OPTIN and OPTOUT are not compatible with BCAST"));
        }
        if options.optin && options.optout {
            return Err(CmdError::Static("ERR You can't specify both OPTIN mode and OPTOUT mode"));
        }
        if (options.optin && current.optout) || (options.optout && current.optin) {
            return Err(CmdError::Static(
                "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.",
            ));
        }
        if options.bcast {
            if let Some((msg, fatal)) = Tracking::prefix_collision(&current.prefixes, &prefixes) {
                if fatal {
                    return Err(CmdError::Owned(msg));
                }
                // Redis 7.2 replies the error and goes on to enable tracking.
                crate::engine::reply_error(ctx.server, ctx.out, &CmdError::Owned(msg));
            }
        }
        options.prefixes = prefixes.iter().map(|p| p.to_vec()).collect();
        ctx.server.tracking.enable(ctx.client, &options, redirect_handle);
    } else if is(argv[2], "off") {
        ctx.server.tracking.disable(ctx.client);
    } else {
        return Err(errors::SYNTAX);
    }
    ctx.out.ok();
    Ok(())
}

/// CLIENT CACHING <YES | NO>
pub(super) fn caching(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let t = &mut ctx.client.tracking;
    if !t.on {
        return Err(CmdError::Static(
            "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled",
        ));
    }
    if is(argv[2], "yes") {
        if !t.optin {
            return Err(CmdError::Static(
                "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.",
            ));
        }
    } else if is(argv[2], "no") {
        if !t.optout {
            return Err(CmdError::Static(
                "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.",
            ));
        }
    } else {
        return Err(errors::SYNTAX);
    }
    t.caching = true;
    ctx.out.ok();
    Ok(())
}

/// CLIENT GETREDIR
pub(super) fn getredir(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let t = &ctx.client.tracking;
    ctx.out.int(if t.on { t.redirect as i64 } else { -1 });
    Ok(())
}

/// CLIENT TRACKINGINFO
pub(super) fn trackinginfo(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let t = &ctx.client.tracking;
    let mut flags = vec![if t.on { "on" } else { "off" }];
    if t.bcast {
        flags.push("bcast");
    }
    if t.optin {
        flags.push("optin");
        if t.caching {
            flags.push("caching-yes");
        }
    }
    if t.optout {
        flags.push("optout");
        if t.caching {
            flags.push("caching-no");
        }
    }
    if t.noloop {
        flags.push("noloop");
    }
    if t.broken_redirect {
        flags.push("broken_redirect");
    }
    let out = &mut *ctx.out;
    out.map_len(3);
    out.bulk_str("flags");
    out.set_len(flags.len());
    for f in flags {
        out.bulk_str(f);
    }
    out.bulk_str("redirect");
    out.int(if t.on { t.redirect as i64 } else { -1 });
    out.bulk_str("prefixes");
    out.array_len(t.prefixes.len());
    for p in &t.prefixes {
        out.bulk(p);
    }
    Ok(())
}
