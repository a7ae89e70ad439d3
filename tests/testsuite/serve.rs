//! `planboek serve` end to end: the real binary on a free loopback port, spoken to over raw
//! TCP. Every wait is bounded, so a broken server fails a test instead of hanging it.

use crate::common::server::{request, Server, WAIT};
use crate::common::Repo;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};
use std::{fs, io};

const PAGE: &str = "/alpha/01-aanleiding.html";
const SOURCE: &str = "content/alpha/01-aanleiding.md";

fn basic() -> Repo {
    Repo::fixture("basic")
}

/// The source with `text` appended to its body.
fn source_with(repo: &Repo, text: &str) -> String {
    let original = fs::read_to_string(repo.path().join(SOURCE)).expect("read source");
    format!("{original}\n\n{text}\n")
}

/// Saves like an editor: write a temporary file beside the target, rename it over.
fn atomic_save(path: &Path, text: &str) {
    let tmp = path.with_file_name(".planboek-test.tmp");
    fs::write(&tmp, text).expect("write tmp");
    fs::rename(&tmp, path).expect("rename");
}

#[test]
fn serves_pages_with_their_types_and_the_live_reload_script() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let page = server.get(PAGE);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert!(page.body.contains("/__planboek/live.js"), "live-reload script in served page");
    let types = [
        ("/_static/planboek.css", "text/css; charset=utf-8"),
        ("/alpha/img/kaart.png", "image/png"),
        ("/__planboek/live.js", "text/javascript; charset=utf-8"),
    ];
    for (path, ty) in types {
        let r = server.get(path);
        assert_eq!((r.status, r.header("Content-Type")), (200, Some(ty)), "{path}");
    }
    let folder = server.get("/alpha/");
    assert!(folder.status == 200 && folder.body.contains("/__planboek/live.js"), "folder serves index.html");
    let missing = server.get("/geen/pagina.html");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html") && missing.body.contains("index.html"), "the theme's 404 page");
    let head = request(server.port, &format!("HEAD {PAGE} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
    assert_eq!((head.status, head.body.as_str()), (200, ""));
    let post = request(
        server.port,
        &format!("POST {PAGE} HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"),
    );
    assert_eq!(post.status, 405);
    assert_eq!(post.header("Allow"), Some("GET, HEAD"));

    assert!(!repo.path().join("site").exists(), "serve never writes the user's site/");

    let built = basic();
    built.run(&["build"]).assert_code(0);
    for file in crate::common::files(&built.site()) {
        let bytes = fs::read(built.site().join(&file)).expect("read");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("__planboek"),
            "{} has the live-reload script",
            file.display()
        );
    }
}

#[test]
fn atomic_save_new_folder_and_delete_then_recreate() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    atomic_save(&repo.path().join(SOURCE), &source_with(&repo, "Atomisch opgeslagen."));
    server.wait_for(PAGE, |r| r.body.contains("Atomisch opgeslagen."));
    // A body edit re-renders its own page only, and its plan's print edition, which holds it.
    let lines = server.lines_until(|l| l.starts_with("rebuilt") && !l.contains("(first build)"));
    let line = lines.iter().find(|l| l.starts_with(&format!("rebuilt in place ({SOURCE}): 2 pages")));
    assert!(line.is_some_and(|l| l.contains(" ms (the saved page in ")), "{lines:?}");
    assert!(server.get("/alpha/print.html").body.contains("Atomisch opgeslagen."), "the print edition follows");

    repo.write("content/gamma/_index.md", "+++\ntitle = \"Gamma\"\n+++\n");
    repo.write("content/gamma/nieuw/stuk.md", "+++\ntitle = \"Stuk\"\n+++\nNieuwe map, nieuw bestand.\n");
    server.wait_for("/gamma/nieuw/stuk.html", |r| r.status == 200 && r.body.contains("Nieuwe map, nieuw bestand."));

    let beta = repo.path().join("content/beta/aanleiding.md");
    let original = fs::read_to_string(&beta).expect("read");
    fs::remove_file(&beta).expect("delete");
    server.wait_for("/beta/aanleiding.html", |r| r.status == 404);
    fs::write(&beta, format!("{original}\nTeruggezet.\n")).expect("recreate");
    server.wait_for("/beta/aanleiding.html", |r| r.status == 200 && r.body.contains("Teruggezet."));
}

#[test]
fn a_checkout_of_500_files_and_a_folder_rename() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    // Like `git checkout` of another branch: many files appear at once.
    repo.write("content/groot/_index.md", "+++\ntitle = \"Groot\"\n+++\n");
    for i in 0..500 {
        repo.write(&format!("content/groot/s{i:03}.md"), format!("+++\ntitle = \"Stuk {i}\"\n+++\nTekst {i}.\n"));
    }
    server.wait_for("/groot/s499.html", |r| r.status == 200 && r.body.contains("Tekst 499."));
    assert!(server.get("/groot/s000.html").body.contains("Tekst 0."));

    fs::rename(repo.path().join("content/beta"), repo.path().join("content/delta")).expect("rename folder");
    server.wait_for("/delta/aanleiding.html", |r| r.status == 200);
    assert_eq!(server.get("/beta/aanleiding.html").status, 404);
}

#[test]
fn a_new_title_reaches_the_other_pages_menus() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let text = fs::read_to_string(repo.path().join(SOURCE)).expect("read");
    let renamed = text.replacen("title = \"Aanleiding\"", "title = \"Nieuwe aanleiding\"", 1);
    assert_ne!(text, renamed, "the fixture's title");
    fs::write(repo.path().join(SOURCE), renamed).expect("write");
    server.wait_for("/alpha/04-veilig.html", |r| r.body.contains("Nieuwe aanleiding"));
    assert!(server.get("/alpha/index.html").body.contains("Nieuwe aanleiding"));
}

#[test]
fn a_burst_of_300_writes_settles_on_the_last() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let path = repo.path().join(SOURCE);
    let original = fs::read_to_string(&path).expect("read");
    for i in 0..300 {
        fs::write(&path, format!("{original}\n\nVersie nummer {i} klaar.\n")).expect("write");
    }
    server.wait_for(PAGE, |r| r.body.contains("Versie nummer 299 klaar."));
    // Whatever rebuild is still coming must end with the last content too.
    thread::sleep(Duration::from_millis(1500));
    let page = server.get(PAGE).body;
    assert!(page.contains("Versie nummer 299 klaar.") && !page.contains("Versie nummer 298"), "{page}");
    let rebuilds = server.printed().iter().filter(|l| l.starts_with("rebuilt") && !l.contains("(first build)")).count();
    // Batches end 3 ms after a closed write (`watch::SETTLE`), so a writer that the machine's
    // load holds up for longer starts a new one: 20 rebuilds were seen with both cores busy.
    // One rebuild per write, or close to it, would mean the writes are not batched.
    assert!((1..=50).contains(&rebuilds), "300 writes made {rebuilds} rebuilds");
}

#[test]
fn a_content_error_is_shown_in_the_page_until_fixed() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let broken = repo.path().join("content/alpha/04-veilig.md");
    let original = fs::read_to_string(&broken).expect("read");
    fs::write(&broken, "+++\ntitle = \"<script>nooit</script>\"\n").expect("break");
    let shown = server.wait_for(PAGE, |r| r.body.contains("planboek-errors"));
    assert_eq!(shown.status, 200, "the last good page stays served");
    assert!(shown.body.contains("content/alpha/04-veilig.md:1:1"), "file:line:col in the banner");
    assert!(!shown.body.contains("<script>nooit"), "nothing from the file unescaped");
    // The terminal shows the error in full (lines_until fails the test if it never comes).
    server.lines_until(|l| l.starts_with("stderr: content/alpha/04-veilig.md:1:1: error[P0011]"));
    fs::write(&broken, original).expect("fix");
    server.wait_for(PAGE, |r| r.status == 200 && !r.body.contains("planboek-errors"));
}

#[test]
fn every_traversal_form_is_refused() {
    let repo = basic();
    repo.write("geheim.txt", "GEHEIM-BUITEN");
    let server = Server::start(&repo, &[]);
    let outside = server.preview.join("geheim.txt");
    fs::write(&outside, "GEHEIM-BUITEN").expect("write secret");
    let served = newest_build(&server.preview);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&outside, served.join("lek.txt")).expect("symlink");
    let attempts = [
        "/../geheim.txt",
        "/../../geheim.txt",
        "/alpha/../../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/%2E%2E/%2e%2e/geheim.txt",
        "/..%2fgeheim.txt",
        "/%2f..%2f..%2fgeheim.txt",
        "/..%5cgeheim.txt",
        "/..\\geheim.txt",
        "/alpha\\..\\..\\geheim.txt",
        "//etc/passwd",
        "/etc/passwd",
        "http://evil/../geheim.txt",
        "/geheim.txt%00.html",
        "/%00",
        "/lek.txt",
        "/%c0%ae%c0%ae/geheim.txt",
    ];
    for path in attempts {
        let r = request(server.port, &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"));
        assert!(matches!(r.status, 400 | 404), "{path}: status {}", r.status);
        assert!(!r.body.contains("GEHEIM-BUITEN") && !r.body.contains("root:"), "{path} leaked");
    }
    assert_eq!(server.get(PAGE).status, 200, "still serving");
}

/// The build folder the server serves: the newest `build-N`.
pub fn newest_build(preview: &Path) -> PathBuf {
    let mut builds: Vec<(u32, PathBuf)> = fs::read_dir(preview)
        .expect("preview folder")
        .filter_map(|e| {
            let e = e.ok()?;
            let n = e.file_name().to_str()?.strip_prefix("build-")?.parse().ok()?;
            Some((n, e.path()))
        })
        .collect();
    builds.sort();
    builds.pop().expect("a build folder").1
}

#[test]
fn two_hundred_requests_alongside_stalled_connections() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    // One client that never finishes its request, and some that never read their answer.
    let mut stalled = vec![TcpStream::connect(("127.0.0.1", server.port)).expect("connect")];
    stalled[0].write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").expect("half a request");
    for _ in 0..4 {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        s.write_all(b"GET /_static/planboek.css HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
        stalled.push(s);
    }
    let started = Instant::now();
    let port = server.port;
    // 200 clients, each on its own thread, released at once.
    let gate = std::sync::Arc::new(std::sync::Barrier::new(200));
    let workers: Vec<_> = (0..200)
        .map(|_| {
            let gate = std::sync::Arc::clone(&gate);
            thread::spawn(move || {
                gate.wait();
                request(port, &format!("GET {PAGE} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).status
            })
        })
        .collect();
    let statuses: Vec<u16> = workers.into_iter().map(|w| w.join().expect("client thread")).collect();
    assert_eq!(statuses.len(), 200);
    assert!(statuses.iter().all(|&s| s == 200), "{statuses:?}");
    // Below the 10 s a request head may take: no answer waited for a stalled connection.
    assert!(started.elapsed() < Duration::from_secs(9), "took {:?}", started.elapsed());
    drop(stalled);
}

#[test]
fn live_reload_stream_announces_a_rebuild() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    s.write_all(b"GET /__planboek/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut events = BufReader::new(s);
    let mut data = || -> io::Result<String> {
        loop {
            let mut line = String::new();
            if events.read_line(&mut line)? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            if let Some(d) = line.strip_prefix("data: ") {
                return Ok(d.trim().to_string());
            }
        }
    };
    let first = data().expect("first tag");
    fs::write(repo.path().join(SOURCE), source_with(&repo, "Herladen.")).expect("write");
    let next = data().expect("tag after rebuild");
    assert_ne!(first, next);
    server.wait_for(PAGE, |r| r.body.contains("Herladen."));
}

/// Opens a live-reload stream and returns it with its status line.
fn open_stream(port: u16) -> (BufReader<TcpStream>, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    s.write_all(b"GET /__planboek/events HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("send");
    let mut reader = BufReader::new(s);
    let mut status = String::new();
    reader.read_line(&mut status).expect("status line");
    (reader, status)
}

#[test]
fn live_reload_streams_are_bounded_and_leave_the_workers_free() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let open: Vec<_> = (0..64).map(|_| open_stream(server.port)).collect();
    assert!(open.iter().all(|(_, status)| status.contains(" 200 ")), "64 streams are allowed");
    let (_, refused) = open_stream(server.port);
    assert!(refused.contains(" 503 "), "the 65th is refused: {refused}");
    assert_eq!(server.get(PAGE).status, 200, "pages are still served");
}

#[test]
fn binding_beyond_loopback_warns() {
    let repo = basic();
    let server = Server::start(&repo, &["-p", "0", "--bind", "0.0.0.0"]);
    // lines_until fails the test when the warning never comes.
    let warned = server.lines_until(|l| l.starts_with("stderr: warning: bound to 0.0.0.0"));
    assert!(warned.last().is_some_and(|l| l.contains("network")), "{warned:?}");
}

#[test]
fn a_taken_port_moves_to_the_next() {
    let taken = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let repo = basic();
    let server = Server::start(&repo, &["-p", &port]);
    assert_ne!(server.port.to_string(), port);
    assert_eq!(server.get(PAGE).status, 200);
}

#[cfg(unix)]
#[test]
fn sigint_stops_promptly_and_removes_the_preview_folder() {
    let repo = basic();
    let mut server = Server::start(&repo, &[]);
    assert!(server.preview.is_dir());
    let pid = server.child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().expect("kill");
    assert!(status.success());
    // From the moment the signal is delivered, not from starting `kill`.
    let sent = Instant::now();
    let deadline = sent + WAIT;
    let code = loop {
        if let Some(code) = server.child.try_wait().expect("wait") {
            break code;
        }
        assert!(Instant::now() < deadline, "serve did not stop");
        thread::sleep(Duration::from_millis(10));
    };
    assert!(sent.elapsed() < Duration::from_secs(1), "stopped after {:?}", sent.elapsed());
    assert!(code.success(), "{code:?}");
    assert!(!server.preview.exists(), "preview folder removed");
}

/// A git repository with version v1 tagged and `[versions]` in planboek.toml.
pub fn versioned() -> Repo {
    let repo = Repo { dir: tempfile::tempdir().expect("tempdir") };
    crate::common::git(repo.path(), "2026-01-10", &["init", "-q"]);
    repo.write("planboek.toml", "title = \"Testboek\"\n\n[versions]\nfrom_git = \"v*\"\n");
    repo.write(".gitignore", "/site/\n/.planboek-cache/\n");
    repo.write("content/p/_index.md", "+++\ntitle = \"Plan P\"\n+++\n\nInleiding.\n");
    repo.write("content/p/01-a.md", "+++\ntitle = \"Aanleiding\"\n+++\n\nDe groep telt tien jongeren.\n");
    crate::common::tag(&repo, "2026-01-10", "v1");
    repo
}

#[test]
fn serve_versions_serves_every_version_and_follows_the_working_tree() {
    let repo = versioned();
    let server = Server::start(&repo, &["-p", "0", "--versions"]);
    let landing = server.get("/");
    assert_eq!(landing.status, 200);
    assert!(landing.body.contains("v1/") && landing.body.contains("current/"), "{}", landing.body);
    assert!(landing.body.contains("/__planboek/"), "live reload on the landing page");
    assert!(server.get("/v1/p/01-a.html").body.contains("tien jongeren"));
    assert!(server.get("/current/p/01-a.html").body.contains("tien jongeren"));
    let tagged_folder = || served_folder(&server.preview, "v1");
    let (first_tree, v1_folder) = tagged_folder();

    atomic_save(
        &repo.path().join("content/p/01-a.md"),
        "+++\ntitle = \"Aanleiding\"\n+++\n\nDe groep telt twaalf jongeren.\n",
    );
    server.wait_for("/current/p/01-a.html", |r| r.body.contains("twaalf jongeren"));
    assert!(server.get("/v1/p/01-a.html").body.contains("tien jongeren"), "v1 stays as tagged");
    let changes = server
        .wait_for("/current/changes.html", |r| crate::common::visible(&r.body).contains("<ins>twaalf</ins>"))
        .body;
    let changes = crate::common::visible(&changes);
    assert!(changes.contains("<del>tien</del>"), "{changes}");
    // The saved page first, in place; then the whole handbook, for the changes page.
    let lines = server.lines_until(|l| l.starts_with("rebuilt everything (content/p/01-a.md)"));
    assert!(lines.last().is_some_and(|l| l.contains("(the saved page in ")), "{lines:?}");
    // The tagged version's folder was kept (moved into the new tree), not linked anew.
    let (tree, folder) = tagged_folder();
    assert_ne!(tree, first_tree, "a new tree is served");
    assert_eq!(folder, v1_folder, "v1's folder is the one served before");

    // A new tag is a new version, without restarting.
    crate::common::tag(&repo, "2026-02-10", "v2");
    server.wait_for("/", |r| r.body.contains("v2/"));
    assert!(server.get("/v2/p/01-a.html").body.contains("twaalf jongeren"));
}

/// The newest tree under the preview folder and the inode of its folder `slug`.
fn served_folder(preview: &std::path::Path, slug: &str) -> (std::path::PathBuf, u64) {
    use std::os::unix::fs::MetadataExt;
    let number = |p: &std::path::PathBuf| p.file_name()?.to_str()?.strip_prefix("build-")?.parse::<u32>().ok();
    let trees = std::fs::read_dir(preview).expect("preview").filter_map(|e| Some(e.ok()?.path()));
    let newest = trees.filter(|p| number(p).is_some()).max_by_key(|p| number(p)).expect("a served tree");
    let inode = std::fs::metadata(newest.join(slug)).expect("version folder").ino();
    (newest, inode)
}

#[test]
fn serve_versions_without_versions_is_a_usage_error() {
    let repo = basic();
    let out = Command::new(env!("CARGO_BIN_EXE_planboek"))
        .args(["serve", "-p", "0", "--versions"])
        .arg(repo.path())
        .output()
        .expect("run serve");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("[versions]"), "{stderr}");
}

/// Runs the served live-reload script in node against stand-ins for the browser: two page
/// loads sharing sessionStorage, an EventSource per connection, and timers run on demand.
const LIVE_HARNESS: &str = r#"
const script = process.argv[1];
const storage = new Map();
const log = [];
const sources = [];
const timers = [];
const listeners = {};
global.sessionStorage = {
  getItem: (k) => (storage.has(k) ? storage.get(k) : null),
  setItem: (k, v) => storage.set(k, String(v)),
  removeItem: (k) => storage.delete(k),
};
global.location = { pathname: "/alpha/01-aanleiding.html", reload: () => log.push("reload") };
global.setTimeout = (f, ms) => timers.push([f, ms]);
global.EventSource = function (url) { this.url = url; this.close = () => log.push("close"); sources.push(this); };
global.window = {
  scrollY: 0,
  scrollTo: (x, y) => log.push("scrollTo " + y),
  addEventListener: (name, f) => (listeners[name] = f),
};
function load(tag) {
  global.document = { currentScript: { getAttribute: () => tag } };
  eval(script);
}
load("run1-1");
const first = sources[0];
first.onmessage({ data: "run1-1" });
log.push("same tag: " + log.includes("reload"));
window.scrollY = 420;
first.onmessage({ data: "run1-2" });
load("run1-2");
listeners.load();
log.push("stored after load: " + storage.size);
const second = sources[1];
second.onerror();
log.push("retry in " + timers[0][1]);
timers[0][0]();
log.push("reconnected to " + sources[2].url);
sources[2].onmessage({ data: "run2-1" });
console.log(log.join("\n"));
"#;

#[test]
#[cfg_attr(planboek_no_node, ignore = "needs node; .ci/run installs it")]
fn the_live_reload_script_keeps_the_scroll_position_and_reconnects() {
    let repo = basic();
    let server = Server::start(&repo, &[]);
    let script = server.get("/__planboek/live.js");
    assert_eq!(script.status, 200);
    let Ok(out) = Command::new("node").args(["-e", LIVE_HARNESS, &script.body]).output() else {
        assert!(std::env::var_os("CI").is_none(), "CI must have node (see .ci/run)");
        eprintln!("skipped: node is not installed");
        return;
    };
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let log: Vec<String> = String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect();
    let expected = [
        "same tag: false",
        "reload",
        "scrollTo 420",
        "scrollTo 420",
        "stored after load: 0",
        "close",
        "retry in 1000",
        "reconnected to /__planboek/events",
        "reload",
    ];
    assert_eq!(log, expected);
}
