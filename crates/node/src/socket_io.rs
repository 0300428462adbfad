//! The request path of plain TCP clients, without JavaScript.
//!
//! The host (TypeScript) accepts every connection and owns it: limits,
//! protected mode, TLS, closing, pub/sub delivery. For a plain TCP socket
//! it then hands the reading to this module (`attachSocket`): a libuv poll
//! handle on a duplicate of the socket's descriptor, in Node's own event
//! loop, so it runs on the main thread between JavaScript callbacks and
//! the engine is never touched from two places at once.
//!
//! When the socket is readable the poll callback reads into one shared
//! buffer, feeds the engine, and writes the replies straight back with
//! `write(2)`: a request costs two system calls and no JavaScript, where
//! Node's streams add a Buffer per read, the Readable and Writable
//! machinery and a callback into V8 (measured: about a third of the CPU
//! time of a pipeline-1 SET). Anything else the core asks of the host —
//! events for other clients, AOF writes, host commands, a close — is
//! handed to the host's callback `(handle, status)` after the replies are
//! out, to be done exactly as for a read the host made itself; replies the
//! kernel did not take whole (or that the AOF holds) wait in `takeOutput`
//! for the host, with the OVERFLOW bit.
//!
//! Replies go straight out only while the host holds nothing for that
//! client (`setDirect`): output it queued (pub/sub messages, a partly sent
//! reply, replies it holds for the AOF) must leave first. While the AOF
//! has this turn's commands to write, replies wait for it, as Redis sends
//! none before its `beforeSleep` write: they are kept here, the host is
//! told once a turn (the AOF_WRITE bit) and schedules that write, and
//! `releaseHeld` sends them after it.
//!
//! Only on Unix: Windows sockets and the addon's symbol resolution there
//! keep the host's streams (`attachSocket` answers false).

use napi::bindgen_prelude::Buffer;
use napi_derive::napi;

use crate::NativeEngine;

/// What `releaseHeld` could not send.
#[napi(object)]
pub struct HeldRest {
    pub handles: Vec<u32>,
    pub rest: Vec<Buffer>,
}

/// Set in a callback's status: the peer closed the connection, or it failed.
pub const PEER_GONE: u32 = 64;

#[cfg(unix)]
pub(crate) use unix::SocketIo;

/// Nothing to hold where the native path does not exist.
#[cfg(not(unix))]
#[derive(Default)]
pub(crate) struct SocketIo;

#[napi]
impl NativeEngine {
    /// Sets the host's callback `(handle, status)` for what the native path
    /// leaves to it; false when this platform has no native path.
    #[napi(ts_args_type = "callback: (handle: number, status: number) => void")]
    pub fn start_socket_io(&mut self, env: napi::Env, callback: napi::bindgen_prelude::Unknown<'_>) -> bool {
        #[cfg(unix)]
        {
            use napi::bindgen_prelude::JsValue;
            // Safety: a function value of this call, on the main thread.
            unsafe { self.io.start(env.raw(), callback.raw()) }
        }
        #[cfg(not(unix))]
        {
            let _ = (env, callback);
            false
        }
    }

    /// Stops the native path: every client is detached and the callback
    /// released (it holds the host's server, which could not be collected
    /// while this engine holds it).
    #[napi]
    pub fn stop_socket_io(&mut self) {
        #[cfg(unix)]
        // Safety: called from JavaScript on the main thread.
        unsafe {
            self.io.stop()
        }
    }

    /// Takes over reading the socket `fd` of client `handle`; false when it
    /// cannot (the host keeps reading it then).
    #[napi]
    pub fn attach_socket(&mut self, handle: u32, fd: i32) -> bool {
        #[cfg(unix)]
        {
            let engine: *mut NativeEngine = self;
            self.io.attach(engine, handle, fd)
        }
        #[cfg(not(unix))]
        {
            let _ = (handle, fd);
            false
        }
    }

    /// Stops reading the socket of `handle` (it is closing).
    #[napi]
    pub fn detach_socket(&mut self, handle: u32) {
        #[cfg(unix)]
        self.io.detach(handle);
        #[cfg(not(unix))]
        let _ = handle;
    }

    /// Whether replies may be written straight to the socket: the host
    /// holds no output of its own for it.
    #[napi]
    pub fn set_direct(&mut self, handle: u32, direct: bool) {
        #[cfg(unix)]
        self.io.set_direct(handle, direct);
        #[cfg(not(unix))]
        let _ = (handle, direct);
    }

    /// Bytes the native path read since the last call (for the host's
    /// memory reclaim after bursts, see ts/server/read-reclaim.ts).
    #[napi]
    pub fn take_native_reads(&mut self) -> f64 {
        #[cfg(unix)]
        return std::mem::take(&mut self.io.bytes_read) as f64;
        #[cfg(not(unix))]
        0.0
    }

    /// After the AOF's write of the turn: sends the replies held for it.
    /// Returns what sockets did not take whole, as `[handle, bytes]` pairs
    /// (handles in `handles`, bytes in `rest`), for the host to send first.
    #[napi]
    pub fn release_held(&mut self) -> HeldRest {
        #[cfg(unix)]
        {
            let (handles, rest) = self.io.release_held().into_iter().map(|(h, d)| (h, Buffer::from(d))).unzip();
            HeldRest { handles, rest }
        }
        #[cfg(not(unix))]
        HeldRest { handles: Vec::new(), rest: Vec::new() }
    }

    /// Pauses or resumes reading (the host's backpressure on a slow reader).
    #[napi]
    pub fn set_reading(&mut self, handle: u32, reading: bool) {
        #[cfg(unix)]
        self.io.set_reading(handle, reading);
        #[cfg(not(unix))]
        let _ = (handle, reading);
    }
}

#[cfg(unix)]
mod unix {
    use std::collections::HashMap;
    use std::ffi::{c_int, c_void};
    use std::ptr;

    use napi::sys;

    use super::PEER_GONE;
    use crate::{NativeEngine, AOF_SYNC, AOF_WRITE, OVERFLOW};

    /// libuv's `UV_POLL` handle type and `UV_READABLE` event.
    const UV_POLL: c_int = 8;
    const UV_READABLE: c_int = 1;
    /// Bytes read per readiness callback, as Node reads.
    const READ_SIZE: usize = 64 * 1024;

    type PollCb = unsafe extern "C" fn(*mut c_void, c_int, c_int);
    type CloseCb = unsafe extern "C" fn(*mut c_void);

    // libuv, as the Node binary exports it to addons.
    extern "C" {
        fn uv_handle_size(kind: c_int) -> usize;
        fn uv_poll_init_socket(event_loop: *mut sys::uv_loop_s, handle: *mut c_void, socket: c_int) -> c_int;
        fn uv_poll_start(handle: *mut c_void, events: c_int, cb: PollCb) -> c_int;
        fn uv_poll_stop(handle: *mut c_void) -> c_int;
        fn uv_close(handle: *mut c_void, cb: CloseCb);
    }

    /// One attached client. Its poll handle's `data` (a libuv handle's first
    /// field) points here.
    struct Attached {
        engine: *mut NativeEngine,
        handle: u32,
        /// Our duplicate of the socket (closed with the poll handle).
        fd: c_int,
        /// The poll handle: `uv_handle_size(UV_POLL)` bytes, then the fd.
        poll: *mut c_void,
        direct: bool,
        reading: bool,
        /// Replies waiting for this turn's AOF write.
        held: Vec<u8>,
    }

    pub(crate) struct SocketIo {
        env: sys::napi_env,
        callback: sys::napi_ref,
        context: sys::napi_async_context,
        event_loop: *mut sys::uv_loop_s,
        clients: HashMap<u32, Box<Attached>>,
        buf: Vec<u8>,
        pub(crate) bytes_read: u64,
        /// Clients with replies held for the AOF, in the order they came.
        held: Vec<u32>,
        /// The host was told of this turn's AOF write (see `serve`).
        turn_open: bool,
    }

    impl Default for SocketIo {
        fn default() -> Self {
            SocketIo {
                env: ptr::null_mut(),
                callback: ptr::null_mut(),
                context: ptr::null_mut(),
                event_loop: ptr::null_mut(),
                clients: HashMap::new(),
                buf: Vec::new(),
                bytes_read: 0,
                held: Vec::new(),
                turn_open: false,
            }
        }
    }

    impl Drop for SocketIo {
        fn drop(&mut self) {
            self.detach_all();
        }
    }

    impl SocketIo {
        /// # Safety
        /// `env` and `callback` (a function) come from the current call.
        pub(crate) unsafe fn start(&mut self, env: sys::napi_env, callback: sys::napi_value) -> bool {
            let mut event_loop = ptr::null_mut();
            let mut reference = ptr::null_mut();
            let mut name = ptr::null_mut();
            let mut resource = ptr::null_mut();
            let mut context = ptr::null_mut();
            let ok = sys::napi_get_uv_event_loop(env, &mut event_loop) == sys::Status::napi_ok
                && sys::napi_create_reference(env, callback, 1, &mut reference) == sys::Status::napi_ok
                && sys::napi_create_string_utf8(env, c"ferrokv:socket".as_ptr(), -1, &mut name) == sys::Status::napi_ok
                && sys::napi_create_object(env, &mut resource) == sys::Status::napi_ok
                && sys::napi_async_init(env, resource, name, &mut context) == sys::Status::napi_ok;
            if !ok {
                return false;
            }
            self.env = env;
            self.callback = reference;
            self.context = context;
            self.event_loop = event_loop;
            self.buf = vec![0; READ_SIZE];
            true
        }

        /// # Safety
        /// On the main thread, from a JavaScript call.
        pub(crate) unsafe fn stop(&mut self) {
            self.detach_all();
            if !self.env.is_null() {
                sys::napi_delete_reference(self.env, self.callback);
                sys::napi_async_destroy(self.env, self.context);
            }
            self.env = ptr::null_mut();
            self.callback = ptr::null_mut();
            self.context = ptr::null_mut();
            self.event_loop = ptr::null_mut();
        }

        pub(crate) fn attach(&mut self, engine: *mut NativeEngine, handle: u32, fd: i32) -> bool {
            if self.event_loop.is_null() || fd < 0 || self.clients.contains_key(&handle) {
                return false;
            }
            // Safety: plain libc and libuv calls on memory this function
            // allocates; the Attached box outlives the poll's callbacks
            // (`detach` stops the poll before dropping it).
            unsafe {
                let dup = libc::fcntl(fd, libc::F_DUPFD_CLOEXEC, 0);
                if dup < 0 {
                    return false;
                }
                let size = uv_handle_size(UV_POLL);
                let poll = libc::calloc(1, size + std::mem::size_of::<c_int>());
                if poll.is_null() {
                    libc::close(dup);
                    return false;
                }
                *(poll.cast::<u8>().add(size).cast::<c_int>()) = dup;
                if uv_poll_init_socket(self.event_loop, poll, dup) != 0 {
                    libc::free(poll);
                    libc::close(dup);
                    return false;
                }
                let mut client = Box::new(Attached {
                    engine,
                    handle,
                    fd: dup,
                    poll,
                    direct: true,
                    reading: false,
                    held: Vec::new(),
                });
                *poll.cast::<*mut Attached>() = &mut *client;
                self.clients.insert(handle, client);
            }
            self.set_reading(handle, true);
            true
        }

        fn detach_all(&mut self) {
            for (_, client) in self.clients.drain() {
                close_poll(&client);
            }
        }

        pub(crate) fn detach(&mut self, handle: u32) {
            if let Some(client) = self.clients.remove(&handle) {
                close_poll(&client);
            }
        }

        /// Sends the replies held for the AOF (its write of the turn is
        /// done); what a socket did not take whole is returned, for the
        /// host to send before anything else.
        pub(crate) fn release_held(&mut self) -> Vec<(u32, Vec<u8>)> {
            self.turn_open = false;
            let mut rest = Vec::new();
            for handle in std::mem::take(&mut self.held) {
                let Some(client) = self.clients.get_mut(&handle) else { continue };
                let data = std::mem::take(&mut client.held);
                // Safety: the descriptor is ours until the poll closes.
                match unsafe { write_some(client.fd, &data) } {
                    Some(sent) if sent < data.len() => {
                        client.direct = false;
                        rest.push((handle, data[sent..].to_vec()));
                    }
                    // A failed connection is seen by its next read.
                    _ => {}
                }
            }
            rest
        }

        pub(crate) fn set_direct(&mut self, handle: u32, direct: bool) {
            if let Some(client) = self.clients.get_mut(&handle) {
                client.direct = direct;
            }
        }

        pub(crate) fn set_reading(&mut self, handle: u32, reading: bool) {
            let Some(client) = self.clients.get_mut(&handle) else { return };
            if client.reading == reading {
                return;
            }
            client.reading = reading;
            // Safety: the poll handle is initialized and not closing.
            unsafe {
                if reading {
                    uv_poll_start(client.poll, UV_READABLE, on_readable);
                } else {
                    uv_poll_stop(client.poll);
                }
            }
        }
    }

    /// Stops the poll and closes it; its memory and descriptor are released
    /// when libuv is done with it.
    fn close_poll(client: &Attached) {
        // Safety: the handle was initialized by `attach` and is closed once.
        unsafe {
            uv_poll_stop(client.poll);
            uv_close(client.poll, on_closed);
        }
    }

    unsafe extern "C" fn on_closed(poll: *mut c_void) {
        let fd = *(poll.cast::<u8>().add(uv_handle_size(UV_POLL)).cast::<c_int>());
        libc::close(fd);
        libc::free(poll);
    }

    unsafe extern "C" fn on_readable(poll: *mut c_void, status: c_int, _events: c_int) {
        let client = *poll.cast::<*mut Attached>();
        let (native, handle, fd) = ((*client).engine, (*client).handle, (*client).fd);
        let native = &mut *native;
        let result = if status < 0 { PEER_GONE } else { serve(native, client, fd, handle) };
        if result == 0 {
            return;
        }
        if result & PEER_GONE != 0 {
            native.io.set_reading(handle, false);
        }
        // The host may detach (and so free) this client: nothing of it is
        // used after the call.
        let io = &native.io;
        call_host(io.env, io.callback, io.context, handle, result);
    }

    /// Reads once and runs what came; 0 when the replies are out and
    /// nothing is left for the host, else the status for its callback.
    unsafe fn serve(native: &mut NativeEngine, client: *mut Attached, fd: c_int, handle: u32) -> u32 {
        let mut buf = std::mem::take(&mut native.io.buf);
        let n = libc::read(fd, buf.as_mut_ptr().cast(), buf.len());
        let result = if n > 0 {
            native.io.bytes_read += n as u64;
            let mut status = native.feed_status(handle, &buf[..n as usize]);
            let engine = &mut native.engine;
            let pending = engine.output().len();
            let aof = status & (AOF_WRITE | AOF_SYNC);
            if pending > 0 && (*client).direct && aof != 0 {
                // The replies wait for the AOF's write of this turn: kept
                // here, and sent by `releaseHeld` once it is done.
                if (*client).held.is_empty() {
                    native.io.held.push(handle);
                }
                (*client).held.extend_from_slice(engine.output());
                engine.clear_output();
            } else if pending > 0 && (*client).direct {
                match write_some(fd, engine.output()) {
                    Some(sent) if sent == pending => engine.clear_output(),
                    Some(sent) => {
                        // The kernel's buffer is full: the host sends the
                        // rest, and everything after it, until it drains.
                        engine.consume_output(sent);
                        (*client).direct = false;
                        status |= OVERFLOW;
                    }
                    None => {
                        engine.clear_output();
                        status = PEER_GONE;
                    }
                }
            } else if pending > 0 {
                status |= OVERFLOW;
            }
            if aof != 0 {
                // The host hears of the AOF once a turn: it schedules the
                // turn's write, which releases what is held here.
                if native.io.turn_open && status & !(AOF_WRITE | AOF_SYNC) == 0 {
                    status = 0;
                }
                native.io.turn_open = true;
            }
            status
        } else if n == 0 {
            PEER_GONE
        } else {
            match last_errno() {
                libc::EAGAIN | libc::EINTR => 0,
                _ => PEER_GONE,
            }
        };
        native.io.buf = buf;
        result
    }

    /// Writes as much of `data` as the socket takes now; `None` when the
    /// connection failed.
    unsafe fn write_some(fd: c_int, data: &[u8]) -> Option<usize> {
        let mut sent = 0;
        while sent < data.len() {
            let n = libc::write(fd, data[sent..].as_ptr().cast(), data.len() - sent);
            if n > 0 {
                sent += n as usize;
                continue;
            }
            match last_errno() {
                libc::EINTR => continue,
                libc::EAGAIN => break,
                _ => return None,
            }
        }
        Some(sent)
    }

    fn last_errno() -> c_int {
        std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
    }

    /// Calls the host's callback as Node calls a callback from the event
    /// loop (its microtasks and `nextTick` queue run after it).
    unsafe fn call_host(
        env: sys::napi_env,
        callback: sys::napi_ref,
        context: sys::napi_async_context,
        handle: u32,
        status: u32,
    ) {
        let mut scope = ptr::null_mut();
        if sys::napi_open_handle_scope(env, &mut scope) != sys::Status::napi_ok {
            return;
        }
        let mut function = ptr::null_mut();
        let mut receiver = ptr::null_mut();
        let mut args = [ptr::null_mut(); 2];
        let mut result = ptr::null_mut();
        if sys::napi_get_reference_value(env, callback, &mut function) == sys::Status::napi_ok
            // (napi_make_callback wants an object for `this`.)
            && sys::napi_get_global(env, &mut receiver) == sys::Status::napi_ok
            && sys::napi_create_uint32(env, handle, &mut args[0]) == sys::Status::napi_ok
            && sys::napi_create_uint32(env, status, &mut args[1]) == sys::Status::napi_ok
            && sys::napi_make_callback(env, context, receiver, function, 2, args.as_ptr(), &mut result)
                == sys::Status::napi_pending_exception
        {
            // As an exception from any event-loop callback: uncaught.
            let mut error = ptr::null_mut();
            sys::napi_get_and_clear_last_exception(env, &mut error);
            sys::napi_fatal_exception(env, error);
        }
        sys::napi_close_handle_scope(env, scope);
    }
}
