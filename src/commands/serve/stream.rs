//! Live reload: a Server-Sent Events stream per open page, each on its own thread, bounded.

use super::state::Shared;
use std::io::{self, Write};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use tiny_http::{Request, Response, StatusCode};

/// Most live-reload connections at once; more get 503, so pages cannot exhaust threads.
pub const MAX_STREAMS: usize = 64;
/// A comment line this often finds connections whose page was closed.
const KEEPALIVE: Duration = Duration::from_secs(10);

/// Answers `/__planboek/events` on a thread of its own, so that workers stay free.
pub fn open(rq: Request, shared: &Arc<Shared>) {
    if shared.streams.fetch_add(1, Ordering::SeqCst) >= MAX_STREAMS {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
        let _ =
            rq.respond(Response::from_string("too many live-reload connections\n").with_status_code(StatusCode(503)));
        return;
    }
    let shared = Arc::clone(shared);
    let spawned = thread::Builder::new().name("planboek-sse".into()).spawn({
        let shared = Arc::clone(&shared);
        move || {
            let _ = stream(rq, &shared);
            shared.streams.fetch_sub(1, Ordering::SeqCst);
        }
    });
    if spawned.is_err() {
        shared.streams.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Sends the current tag, then a new one after each rebuild, until the client goes away.
fn stream(rq: Request, shared: &Shared) -> io::Result<()> {
    let mut w = rq.into_writer();
    w.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
    )?;
    let mut seen = shared.generation();
    write!(w, "data: {}\n\n", shared.tag(seen))?;
    w.flush()?;
    while !shared.stopping() {
        let now = shared.wait_change(seen, KEEPALIVE);
        if now == seen {
            w.write_all(b": keep-alive\n\n")?;
        } else {
            seen = now;
            write!(w, "data: {}\n\n", shared.tag(seen))?;
        }
        w.flush()?;
    }
    Ok(())
}
