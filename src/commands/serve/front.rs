//! The accept loop in front of tiny_http, which has no limits of its own: a capped number
//! of connections, each given one request head, bounded in size and time, before it is
//! handed on over a private socket. tiny_http thus only ever sees single, complete,
//! well-formed requests from this loop, and answers them as before.
//!
//! Every connection carries one request (the hand-off asks tiny_http for `Connection:
//! close`); a pipelined second request is left unanswered, which HTTP allows: the client
//! sends it again on a new connection.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

/// Largest request head (request line and headers); a larger one is answered 431.
pub const MAX_HEAD: usize = 32 * 1024;
/// Most connections served at once (one thread each); further ones wait in the listen queue.
pub const MAX_CONNECTIONS: usize = 128;
/// How long a client has for its request head after connecting; then 408 (or, when it sent
/// nothing, the connection is closed).
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// A client that takes no part of its response for this long is dropped.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// tiny_http answers at once, and a live-reload stream writes every 10 s.
const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(30);
/// What a client may still send after its request before the connection closes.
const LINGER_BYTES: usize = 64 * 1024;
const LINGER_TIME: Duration = Duration::from_secs(1);
/// The answer is copied in pieces of this size.
const RELAY_BUFFER: usize = 64 * 1024;
/// A connection thread copies bytes and holds one head; it needs little stack.
const STACK: usize = 128 * 1024;

/// Where checked requests go: tiny_http's private listener.
pub enum Upstream {
    /// A Unix socket in the preview folder, which only this user can connect to.
    #[cfg(unix)]
    Unix(std::path::PathBuf),
    /// A loopback port, where there are no Unix sockets.
    Tcp(SocketAddr),
}

/// tiny_http listening privately: on a Unix socket in `dir` where it can, else on loopback.
pub fn backend(dir: &Path) -> io::Result<(tiny_http::Server, Upstream)> {
    #[cfg(unix)]
    {
        let path = dir.join("http.sock");
        let _ = std::fs::remove_file(&path);
        if let Ok(listener) = std::os::unix::net::UnixListener::bind(&path) {
            let server = tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?;
            return Ok((server, Upstream::Unix(path)));
        }
    }
    let _ = dir;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
    let addr = listener.local_addr()?;
    let server = tiny_http::Server::from_listener(listener, None).map_err(io::Error::other)?;
    Ok((server, Upstream::Tcp(addr)))
}

/// A connection to tiny_http.
trait Stream: Read + Write + Send {}
impl<T: Read + Write + Send> Stream for T {}

impl Upstream {
    fn connect(&self) -> io::Result<Box<dyn Stream>> {
        match self {
            #[cfg(unix)]
            Upstream::Unix(path) => {
                let s = std::os::unix::net::UnixStream::connect(path)?;
                s.set_read_timeout(Some(UPSTREAM_TIMEOUT))?;
                s.set_write_timeout(Some(UPSTREAM_TIMEOUT))?;
                Ok(Box::new(s))
            }
            Upstream::Tcp(addr) => {
                let s = TcpStream::connect(addr)?;
                s.set_nodelay(true)?;
                s.set_read_timeout(Some(UPSTREAM_TIMEOUT))?;
                s.set_write_timeout(Some(UPSTREAM_TIMEOUT))?;
                Ok(Box::new(s))
            }
        }
    }
}

/// The threads that accept and serve connections: each waits in `accept` and serves the
/// connection it gets itself, so a request costs no hand-off between threads. While one
/// serves, another waits in `accept`; at most `MAX_CONNECTIONS` exist, so when all serve,
/// further connections wait in the listen queue.
struct Acceptors {
    listener: TcpListener,
    upstream: Upstream,
    threads: Mutex<Threads>,
}

#[derive(Default)]
struct Threads {
    /// Acceptor threads alive.
    total: usize,
    /// Of those, waiting in `accept`.
    waiting: usize,
}

/// Acceptors kept waiting when there is no load; more exit after their connection.
const SPARE: usize = 2;

impl Acceptors {
    fn threads(&self) -> std::sync::MutexGuard<'_, Threads> {
        self.threads.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Starts one more thread waiting in `accept`, unless there are `MAX_CONNECTIONS`.
    fn add(self: &Arc<Self>) -> io::Result<()> {
        {
            let mut t = self.threads();
            if t.total >= MAX_CONNECTIONS {
                return Ok(());
            }
            t.total += 1;
            t.waiting += 1;
        }
        let me = Arc::clone(self);
        let spawned = thread::Builder::new().name("planboek-conn".into()).stack_size(STACK).spawn(move || me.run());
        if spawned.is_err() {
            let mut t = self.threads();
            t.total -= 1;
            t.waiting -= 1;
        }
        spawned.map(drop)
    }

    fn run(self: Arc<Self>) {
        loop {
            let accepted = self.listener.accept();
            let none_waiting = {
                let mut t = self.threads();
                t.waiting -= 1;
                t.waiting == 0
            };
            if none_waiting {
                // Someone must wait for the next connection while this one is served.
                let _ = self.add();
            }
            match accepted {
                // A panic here is planboek's own: reported by the hook, and this thread goes on.
                Ok((client, _)) => {
                    drop(std::panic::catch_unwind(AssertUnwindSafe(|| serve_connection(client, &self.upstream))))
                }
                // Out of file descriptors, or a connection reset while queued: try again shortly.
                Err(_) => thread::sleep(Duration::from_millis(20)),
            }
            let mut t = self.threads();
            if t.waiting >= SPARE {
                t.total -= 1;
                return;
            }
            t.waiting += 1;
        }
    }
}

/// Accepts connections on `listener` and hands each request on to `upstream`, from at most
/// `MAX_CONNECTIONS` threads.
pub fn start(listener: TcpListener, upstream: Upstream) -> io::Result<()> {
    let acceptors = Arc::new(Acceptors { listener, upstream, threads: Mutex::default() });
    (0..SPARE).try_for_each(|_| acceptors.add())
}

/// Why a connection gets no hand-off.
#[derive(Debug, PartialEq, Eq)]
enum Refusal {
    /// The client went away, or never sent a byte: close without an answer.
    Closed,
    /// Answer with this status, reason and extra header lines, then close.
    Status(u16, &'static str, &'static str),
}

const TOO_LARGE: Refusal = Refusal::Status(431, "Request Header Fields Too Large", "");
const TIMEOUT: Refusal = Refusal::Status(408, "Request Timeout", "");
const BAD: Refusal = Refusal::Status(400, "Bad Request", "");
const METHOD: Refusal = Refusal::Status(405, "Method Not Allowed", "Allow: GET, HEAD\r\n");
const UNAVAILABLE: Refusal = Refusal::Status(503, "Service Unavailable", "");

/// One connection: its request head read and checked, then handed to tiny_http and the
/// answer copied back.
fn serve_connection(mut client: TcpStream, upstream: &Upstream) {
    let _ = client.set_nodelay(true);
    let _ = client.set_write_timeout(Some(WRITE_TIMEOUT));
    let request = read_head(&mut client, Instant::now() + HEAD_TIMEOUT).and_then(|head| hand_off(&head));
    let result = request.and_then(|request| {
        let mut up = upstream.connect().map_err(|_| UNAVAILABLE)?;
        up.write_all(&request).map_err(|_| UNAVAILABLE)?;
        Ok(up)
    });
    match result {
        Ok(mut up) => {
            let _ = relay(&mut up, &mut client);
        }
        Err(Refusal::Closed) => {}
        Err(Refusal::Status(code, reason, headers)) => {
            let body = format!("{code} {reason}\n");
            let _ = write!(
                client,
                "HTTP/1.1 {code} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\
                 Cache-Control: no-store\r\nConnection: close\r\n{headers}\r\n{body}",
                body.len()
            );
        }
    }
    linger(client);
}

/// Copies tiny_http's answer to the client, with `Connection: close` after its status line:
/// tiny_http never sends one, and the client must know not to send another request.
fn relay(up: &mut impl Read, client: &mut impl Write) -> io::Result<()> {
    // Large enough that a page usually crosses in one read and one write.
    let mut buf = vec![0u8; RELAY_BUFFER];
    let mut first = Vec::new();
    loop {
        let n = up.read(&mut buf)?;
        if n == 0 {
            return client.write_all(&first);
        }
        first.extend_from_slice(&buf[..n]);
        if let Some(end) = find(&first, b"\r\n") {
            first.splice(end + 2..end + 2, b"Connection: close\r\n".iter().copied());
            break;
        }
        if first.len() > 1024 {
            break;
        }
    }
    client.write_all(&first)?;
    loop {
        let n = up.read(&mut buf)?;
        if n == 0 {
            return Ok(());
        }
        client.write_all(&buf[..n])?;
    }
}

/// Reads until the blank line that ends a request head, at most `MAX_HEAD` bytes, by
/// `deadline`. What follows the head (a body, a pipelined request) is not kept.
fn read_head(client: &mut impl ReadTimeout, deadline: Instant) -> Result<Vec<u8>, Refusal> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let got_some = !head.is_empty();
        let timed_out = if got_some { TIMEOUT } else { Refusal::Closed };
        if left.is_zero() {
            return Err(timed_out);
        }
        client.set_timeout(left).map_err(|_| Refusal::Closed)?;
        let n = match client.read(&mut buf) {
            Ok(0) => return Err(Refusal::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => return Err(timed_out),
            Err(_) => return Err(Refusal::Closed),
        };
        let from = head.len().saturating_sub(3);
        head.extend_from_slice(&buf[..n]);
        let tail = &head[from..];
        if let Some(end) = find(tail, b"\r\n\r\n") {
            head.truncate(from + end + 4);
            return Ok(head);
        }
        if find(tail, b"\n\n").is_some() {
            // Lines must end in CRLF; tiny_http would wait for one forever.
            return Err(BAD);
        }
        if head.len() > MAX_HEAD {
            return Err(TOO_LARGE);
        }
    }
}

/// A socket whose reads can time out: the client's, or a stand-in in tests.
trait ReadTimeout: Read {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()>;
}

impl ReadTimeout for TcpStream {
    fn set_timeout(&mut self, timeout: Duration) -> io::Result<()> {
        self.set_read_timeout(Some(timeout))
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The request to send tiny_http for a checked `head`: only GET and HEAD without a body,
/// and `Connection: close` in place of the client's, so that tiny_http ends the connection
/// after its answer.
fn hand_off(head: &[u8]) -> Result<Vec<u8>, Refusal> {
    let text = std::str::from_utf8(head).ok().filter(|t| t.is_ascii()).ok_or(BAD)?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let method = request_line.split(' ').next().unwrap_or("");
    if method != "GET" && method != "HEAD" {
        return Err(if method.is_empty() { BAD } else { METHOD });
    }
    let mut out = String::with_capacity(head.len() + 20);
    out.push_str(request_line);
    out.push_str("\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        let name = name.trim().to_ascii_lowercase();
        match name.as_str() {
            "content-length" if value.trim() == "0" => {}
            "content-length" | "transfer-encoding" => return Err(BAD),
            // `Expect: 100-continue` is for a body, which is refused.
            "connection" | "keep-alive" | "proxy-connection" | "upgrade" | "expect" => continue,
            _ => {}
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    Ok(out.into_bytes())
}

/// Closes the connection after the answer without resetting it: what the client still
/// sends (a body, a pipelined request) is read and dropped, briefly, so the answer is not
/// lost to a reset.
fn linger(mut client: TcpStream) {
    if client.shutdown(Shutdown::Write).is_err() {
        return;
    }
    let _ = client.set_read_timeout(Some(LINGER_TIME));
    let deadline = Instant::now() + LINGER_TIME;
    let mut buf = [0u8; 4096];
    let mut drained = 0;
    while drained < LINGER_BYTES && Instant::now() < deadline {
        match client.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => drained += n,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that sends `chunks` one read at a time, then blocks (times out).
    struct Script(Vec<Vec<u8>>);

    impl Read for Script {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.is_empty() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let chunk = self.0.remove(0);
            buf[..chunk.len()].copy_from_slice(&chunk);
            Ok(chunk.len())
        }
    }

    impl ReadTimeout for Script {
        fn set_timeout(&mut self, _: Duration) -> io::Result<()> {
            Ok(())
        }
    }

    fn head(chunks: &[&[u8]]) -> Result<Vec<u8>, Refusal> {
        read_head(&mut Script(chunks.iter().map(|c| c.to_vec()).collect()), Instant::now() + HEAD_TIMEOUT)
    }

    #[test]
    fn the_answer_gets_connection_close_after_its_status_line() {
        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        for split in [3, 17, answer.len()] {
            let mut up = Script(vec![answer[..split].to_vec(), answer[split..].to_vec()]);
            let mut client = Vec::new();
            let _ = relay(&mut up, &mut client);
            assert_eq!(client, b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", "{split}");
        }
    }

    #[test]
    fn the_head_ends_at_the_blank_line_even_split_across_reads() {
        let h = head(&[b"GET / HTTP/1.1\r\nHost: x\r", b"\n\r", b"\nGET /second HTTP/1.1\r\n"]).expect("head");
        assert_eq!(h, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    #[test]
    fn heads_too_large_late_or_malformed_are_refused() {
        let line = vec![b'a'; 4000];
        let many: Vec<&[u8]> =
            std::iter::once(&b"GET / HTTP/1.1\r\nX: "[..]).chain(std::iter::repeat_n(&line[..], 9)).collect();
        assert_eq!(head(&many), Err(TOO_LARGE));
        assert_eq!(head(&[b"GET / HTTP/1.1\r\n"]), Err(TIMEOUT), "a partial head");
        assert_eq!(head(&[]), Err(Refusal::Closed), "an idle connection is closed without a word");
        assert_eq!(head(&[b"GET / HTTP/1.1\nHost: x\n\n"]), Err(BAD));
    }

    #[test]
    fn only_bodiless_get_and_head_are_handed_on_with_connection_close() {
        let forwarded = hand_off(b"GET /a HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\n\r\n");
        assert_eq!(forwarded.expect("ok"), b"GET /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assert!(hand_off(b"HEAD / HTTP/1.1\r\nContent-Length: 0\r\n\r\n").is_ok());
        assert_eq!(hand_off(b"POST / HTTP/1.1\r\nContent-Length: 3\r\n\r\n"), Err(METHOD));
        assert_eq!(hand_off(b"GET / HTTP/1.1\r\nContent-Length: 3\r\n\r\n"), Err(BAD));
        assert_eq!(hand_off(b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"), Err(BAD));
        assert_eq!(hand_off("GET /é HTTP/1.1\r\n\r\n".as_bytes()), Err(BAD));
        assert_eq!(hand_off(b"\r\n\r\n"), Err(BAD));
    }
}
