//! The HTTP side of `serve`: worker threads, safe path resolution, content types, and the
//! live-reload script and error banner added to every HTML response.

use super::host::{same_origin, Hosts};
use super::state::Shared;
use super::stream;
use crate::util::url::percent_decode_strict;
use std::fs;
use std::io;
use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread;
use tiny_http::{Header, Method, Request, Response, Server, StatusCode};

/// URL prefix of the server's own endpoints; no output path starts with `__`.
pub const PREFIX: &str = "/__planboek/";
const LIVE_JS: &str = include_str!("live.js");

/// Binds `addr:port`, or the next free port when it is taken (up to 20 further).
pub fn bind(addr: IpAddr, port: u16) -> Result<TcpListener, String> {
    let first = port;
    let mut port = port;
    loop {
        match TcpListener::bind((addr, port)) {
            Ok(listener) => return Ok(listener),
            Err(e) => {
                let next = port.checked_add(1).filter(|_| e.kind() == io::ErrorKind::AddrInUse && port != 0);
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
pub fn spawn_workers(server: &Arc<Server>, shared: &Arc<Shared>, hosts: &Arc<Hosts>, n: usize) {
    for _ in 0..n {
        let (server, shared, hosts) = (Arc::clone(server), Arc::clone(shared), Arc::clone(hosts));
        thread::spawn(move || {
            while let Ok(rq) = server.recv() {
                handle(rq, &shared, &hosts);
            }
        });
    }
}

/// Keeps panics of tiny_http's connection threads off the editor's terminal: they end one
/// connection of a misbehaving client and nothing else. Every other panic is reported as
/// before.
pub fn quiet_library_panics() {
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.location().is_some_and(|l| in_tiny_http(l.file())) {
            report(info);
        }
    }));
}

/// Whether a source file is tiny_http's (`…/tiny_http-0.12.0/src/client.rs`).
fn in_tiny_http(file: &str) -> bool {
    file.split(['/', '\\']).any(|part| part == "tiny_http" || part.starts_with("tiny_http-"))
}

/// The value of the request's header `name`, when it has exactly one.
fn header_value<'r>(rq: &'r Request, name: &'static str) -> Option<&'r str> {
    let mut values = rq.headers().iter().filter(|h| h.field.equiv(name)).map(|h| h.value.as_str());
    let first = values.next();
    first.filter(|_| values.next().is_none())
}

fn handle(rq: Request, shared: &Arc<Shared>, hosts: &Hosts) {
    if !matches!(rq.method(), Method::Get | Method::Head) {
        let allow = header("Allow", "GET, HEAD");
        return respond(rq, text(405, "method not allowed\n").with_header(allow));
    }
    let host = header_value(&rq, "Host");
    if !hosts.allows(host) {
        if let Some(line) = hosts.report(host) {
            eprintln!("warning: {line}");
        }
        return respond(rq, text(421, "this preview does not answer to that host name (DNS rebinding protection)\n"));
    }
    let url = rq.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if let Some(endpoint) = path.strip_prefix(PREFIX) {
        return match endpoint {
            "live.js" => respond(rq, typed(LIVE_JS.as_bytes().to_vec(), "text/javascript; charset=utf-8", 200)),
            "events" if !same_origin(header_value(&rq, "Origin"), host) => {
                respond(rq, text(403, "live reload is for the preview's own pages\n"))
            }
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
    // Other sites may not embed or sniff the preview's files either.
    let response = response
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Cross-Origin-Resource-Policy", "same-origin"));
    // A client that went away is not an error of the server.
    let _ = rq.respond(response);
}

fn header(name: &str, value: &str) -> Header {
    // Both are ASCII without line breaks here, so this cannot fail; a fallback keeps it panic-free.
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .unwrap_or_else(|_| Header::from_bytes(&b"X-Planboek"[..], &b"invalid"[..]).expect("static header"))
}

fn typed(body: Vec<u8>, content_type: &str, status: u16) -> Response<io::Cursor<Vec<u8>>> {
    // The body is in memory, so its length is known: never chunked.
    Response::from_data(body)
        .with_status_code(StatusCode(status))
        .with_header(header("Content-Type", content_type))
        .with_chunked_threshold(usize::MAX)
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
        // Never `//name/`: a browser reads that as another host.
        return Target::Redirect(format!("/{}/", raw.trim_start_matches('/')));
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
        assert_eq!(resolve(&root, "//a"), Target::Redirect("/a/".into()), "not //a/: another host");
        assert_eq!(resolve(&root, "///a"), Target::Redirect("/a/".into()));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(t.path().join("secret.txt"), root.join("link.txt")).expect("symlink");
            assert_eq!(resolve(&root, "/link.txt"), Target::NotFound);
        }
    }

    #[test]
    fn tiny_http_panics_are_told_by_their_file() {
        let registry = "/home/u/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/tiny_http-0.12.0/src/client.rs";
        assert!(in_tiny_http(registry));
        assert!(in_tiny_http("C:\\vendor\\tiny_http\\src\\client.rs"));
        assert!(!in_tiny_http("src/commands/serve/http.rs"));
        assert!(!in_tiny_http("/rustc/abc/library/core/src/option.rs"));
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type(Path::new("a.WOFF2")), "font/woff2");
        assert_eq!(content_type(Path::new("a.ics")), "text/calendar; charset=utf-8");
        assert_eq!(content_type(Path::new("a")), "application/octet-stream");
    }
}
