//! The HTTP side of `serve`: worker threads, safe path resolution, content types, and the
//! live-reload script and error banner added to every HTML response.

use super::state::Shared;
use super::stream;
use crate::util::url::percent_decode_strict;
use std::fs;
use std::io;
use std::net::{IpAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// URL prefix of the server's own endpoints; no output path starts with `__`.
pub const PREFIX: &str = "/__planboek/";
const LIVE_JS: &str = include_str!("live.js");

/// Binds `addr:port`, or the next free port when it is taken (up to 20 further).
pub fn bind(addr: IpAddr, port: u16) -> Result<Server, String> {
    let first = port;
    let mut port = port;
    loop {
        match Server::http((addr, port)) {
            Ok(server) => return Ok(server),
            Err(e) => {
                let in_use = e.downcast_ref::<io::Error>().is_some_and(|e| e.kind() == io::ErrorKind::AddrInUse);
                let next = port.checked_add(1).filter(|_| in_use && port != 0);
                match next {
                    Some(n) if n <= first.saturating_add(20) => {
                        println!("port {port} is in use; trying {n}");
                        port = n;
                    }
                    _ => return Err(format!("cannot listen on {addr}:{port}: {e}")),
                }
            }
        }
    }
}

/// Starts `n` threads answering requests, so that a stalled client holds up only one.
pub fn spawn_workers(server: &Arc<Server>, shared: &Arc<Shared>, n: usize) {
    for _ in 0..n {
        let (server, shared) = (Arc::clone(server), Arc::clone(shared));
        thread::spawn(move || {
            while let Ok(rq) = server.recv() {
                handle(rq, &shared);
            }
        });
    }
}

/// tiny_http hands each connection to a pool thread, and connections that arrive while its
/// idle threads are still waking are queued; when every pool thread then sits in a stalled or
/// kept-alive connection, the queued ones wait for the next accept. A connection of our own
/// every 100 ms is such an accept: it starts a fresh pool thread that drains the queue.
pub fn spawn_nudger(server: &Arc<Server>, shared: &Arc<Shared>) {
    let Some(mut addr) = server.server_addr().to_ip() else { return };
    if addr.ip().is_unspecified() {
        addr.set_ip(if addr.is_ipv4() {
            IpAddr::from([127, 0, 0, 1])
        } else {
            IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1])
        });
    }
    let shared = Arc::clone(shared);
    thread::spawn(move || {
        while !shared.stopping() {
            thread::sleep(Duration::from_millis(100));
            let _ = TcpStream::connect_timeout(&addr, Duration::from_millis(200));
        }
    });
}

fn handle(rq: Request, shared: &Arc<Shared>) {
    if !matches!(rq.method(), Method::Get | Method::Head) {
        let allow = header("Allow", "GET, HEAD");
        return respond(rq, text(405, "method not allowed\n").with_header(allow));
    }
    let url = rq.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if let Some(endpoint) = path.strip_prefix(PREFIX) {
        return match endpoint {
            "live.js" => respond(rq, typed(LIVE_JS.as_bytes().to_vec(), "text/javascript; charset=utf-8", 200)),
            "events" => stream::open(rq, shared),
            _ => respond(rq, text(404, "not found\n")),
        };
    }
    let Some(root) = shared.root() else {
        let page = inject(b"<!DOCTYPE html><title>planboek</title><body><p>No build yet.</p></body>".to_vec(), shared);
        return respond(rq, typed(page, "text/html; charset=utf-8", 503));
    };
    let response = match resolve(&root, path) {
        Target::File(file) => file_response(&file, 200, shared),
        Target::Redirect(to) => text(301, "moved\n").with_header(header("Location", &to)),
        Target::NotFound => not_found(&root, shared),
        Target::Bad => text(400, "bad request\n"),
    };
    respond(rq, response);
}

fn respond(rq: Request, response: Response<io::Cursor<Vec<u8>>>) {
    // A client that went away is not an error of the server.
    let _ = rq.respond(response.with_header(header("Cache-Control", "no-store")));
}

fn header(name: &str, value: &str) -> Header {
    // Both are ASCII without line breaks here, so this cannot fail; a fallback keeps it panic-free.
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Planboek"[..], &b"invalid"[..]).expect("static header"))
}

fn typed(body: Vec<u8>, content_type: &str, status: u16) -> Response<io::Cursor<Vec<u8>>> {
    Response::from_data(body).with_status_code(StatusCode(status)).with_header(header("Content-Type", content_type))
}

fn text(status: u16, body: &str) -> Response<io::Cursor<Vec<u8>>> {
    typed(body.as_bytes().to_vec(), "text/plain; charset=utf-8", status)
}

/// A file as a response; HTML gets the live-reload script and the error banner.
fn file_response(file: &Path, status: u16, shared: &Shared) -> Response<io::Cursor<Vec<u8>>> {
    let Ok(bytes) = fs::read(file) else { return text(404, "not found\n") };
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") { inject(bytes, shared) } else { bytes };
    typed(body, kind, status)
}

/// The theme's 404 page with status 404.
fn not_found(root: &Path, shared: &Shared) -> Response<io::Cursor<Vec<u8>>> {
    let page = root.join("404.html");
    if page.is_file() {
        file_response(&page, 404, shared)
    } else {
        text(404, "not found\n")
    }
}

/// The `Content-Type` of a served file, by extension.
pub fn content_type(path: &Path) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ics" => "text/calendar; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

/// Adds the error banner (if any) and the live-reload script before `</body>`.
fn inject(mut html: Vec<u8>, shared: &Shared) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(overlay) = shared.overlay() {
        extra.push_str(&overlay);
    }
    let tag = shared.tag(shared.generation());
    extra.push_str(&format!("<script src=\"{PREFIX}live.js\" data-tag=\"{tag}\"></script>\n"));
    let at = html.windows(7).rposition(|w| w.eq_ignore_ascii_case(b"</body>")).unwrap_or(html.len());
    html.splice(at..at, extra.into_bytes());
    html
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    File(PathBuf),
    /// A folder asked for without its trailing slash: relative links need it.
    Redirect(String),
    NotFound,
    /// A path that tries to leave the served folder, or is not a path at all.
    Bad,
}

/// Maps a request path to a file inside `root` (canonical), refusing anything that could
/// lead outside it: `..`, encoded dots, slashes and backslashes, NUL, and outward symlinks.
pub fn resolve(root: &Path, raw: &str) -> Target {
    let lower = raw.to_ascii_lowercase();
    if raw.contains('\\') || ["%2e", "%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Target::Bad;
    }
    let Some(decoded) = percent_decode_strict(raw) else { return Target::Bad };
    if !decoded.starts_with('/') || decoded.contains(['\0', '\\']) {
        return Target::Bad;
    }
    let mut rel = PathBuf::new();
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        // `:` would make a Windows drive or stream name; planboek never writes one.
        if seg == "." || seg == ".." || seg.contains(':') {
            return Target::Bad;
        }
        rel.push(seg);
    }
    let inside = |p: &Path| p.canonicalize().ok().filter(|c| c.starts_with(root));
    let Some(found) = inside(&root.join(&rel)) else { return Target::NotFound };
    if !found.is_dir() {
        return Target::File(found);
    }
    if !decoded.ends_with('/') {
        return Target::Redirect(format!("{raw}/"));
    }
    match inside(&found.join("index.html")) {
        Some(index) if index.is_file() => Target::File(index),
        _ => Target::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolve_refuses_every_escape() {
        let t = tempfile::tempdir().expect("tempdir");
        let root = t.path().join("root");
        fs::create_dir_all(root.join("a")).expect("mkdir");
        fs::write(root.join("a/index.html"), "x").expect("write");
        fs::write(t.path().join("secret.txt"), "s").expect("write");
        let root = root.canonicalize().expect("canonical");
        assert_eq!(resolve(&root, "/a/"), Target::File(root.join("a/index.html")));
        assert_eq!(resolve(&root, "/a"), Target::Redirect("/a/".into()));
        assert_eq!(resolve(&root, "/%61/index.html"), Target::File(root.join("a/index.html")));
        for bad in [
            "/../secret.txt",
            "/a/../../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/..%2fsecret.txt",
            "/..%5csecret.txt",
            "/..\\secret.txt",
            "/a%00",
            "relative",
            "/%zz",
            "/%c3",
        ] {
            assert_eq!(resolve(&root, bad), Target::Bad, "{bad}");
        }
        assert_eq!(resolve(&root, "//etc/passwd"), Target::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(t.path().join("secret.txt"), root.join("link.txt")).expect("symlink");
            assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
        }
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a.WOFF2")), "font/woff2");
        assert_eq!(content_type(Path::new("a.ics")), "text/calendar; charset=utf-8");
        assert_eq!(content_type(Path::new("a")), "application/octet-stream");
    }
}
