//! `planboek serve` under attack: DNS rebinding, oversized and endless request heads, idle
//! connections by the hundred, pipelining clients that reset, and an open redirect. Each
//! test sends what an attacker would and measures the server process (its RSS, its peak RSS
//! and its threads, from /proc/<pid>/status) under that load.

use crate::common::server::{request, Response, Server, WAIT};
use crate::common::Repo;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::thread;
use std::time::Duration;

const PAGE: &str = "/alpha/01-aanleiding.html";
fn server() -> (Repo, Server) {
    let repo = Repo::fixture("basic");
    let server = Server::start(&repo, &[]);
    (repo, server)
}

fn get(server: &Server, path: &str, headers: &str) -> Response {
    request(server.port, &format!("GET {path} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"))
}

#[test]
fn a_rebound_host_name_is_refused_and_the_terminal_says_why() {
    let (_repo, server) = server();
    let port = server.port;
    let rebound = get(&server, PAGE, &format!("Host: evil.example:{port}\r\n"));
    assert_eq!(rebound.status, 421, "{rebound:?}");
    assert!(!rebound.body.contains("Aanleiding"), "no page for a rebound name");
    assert_eq!(get(&server, PAGE, "").status, 421, "no Host at all");
    assert_eq!(get(&server, PAGE, "Host: localhost\r\nHost: evil.example\r\n").status, 421, "two Hosts");
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}"), format!("[::1]:{port}"), "localhost".into()]
    {
        assert_eq!(get(&server, PAGE, &format!("Host: {host}\r\n")).status, 200, "{host}");
    }
    // An SSH tunnel changes the port, not the name.
    assert_eq!(get(&server, PAGE, "Host: localhost:8080\r\n").status, 200);
    let _ = get(&server, "/", "Host: evil.example\r\n");
    let told = server.lines_until(|l| l.contains("refused a request for evil.example"));
    assert!(told.last().is_some_and(|l| l.contains("--allow-host evil.example")), "{told:?}");
    thread::sleep(Duration::from_millis(200));
    assert!(!server.printed().iter().any(|l| l.contains("evil.example")), "told once");
}

#[test]
fn allow_host_and_bind_answer_the_names_a_user_chose() {
    let repo = Repo::fixture("basic");
    let server = Server::start(&repo, &["-p", "0", "--allow-host", "planboek.gemeente.test"]);
    assert_eq!(get(&server, PAGE, "Host: planboek.gemeente.test\r\n").status, 200);
    assert_eq!(get(&server, PAGE, "Host: planboek.gemeente.test.evil.example\r\n").status, 421);
    drop(server);
    let server = Server::start(&repo, &["-p", "0", "--bind", "0.0.0.0"]);
    let name = std::fs::read_to_string("/proc/sys/kernel/hostname").unwrap_or_default().trim().to_string();
    if !name.is_empty() {
        let short = name.split('.').next().unwrap_or(&name).to_string();
        assert_eq!(get(&server, PAGE, &format!("Host: {name}:{}\r\n", server.port)).status, 200, "{name}");
        assert_eq!(get(&server, PAGE, &format!("Host: {short}.local\r\n")).status, 200, "{short}.local");
    }
    assert_eq!(get(&server, PAGE, "Host: 192.0.2.7:3000\r\n").status, 200, "an address of the machine");
    assert_eq!(get(&server, PAGE, "Host: evil.example\r\n").status, 421);
}

#[test]
fn the_live_reload_stream_is_for_the_previews_own_pages() {
    let (_repo, server) = server();
    let host = format!("Host: 127.0.0.1:{}\r\n", server.port);
    let events = |origin: &str| {
        let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
        s.set_read_timeout(Some(WAIT)).expect("timeout");
        s.write_all(format!("GET /__planboek/events HTTP/1.1\r\n{host}{origin}\r\n").as_bytes()).expect("send");
        let mut status = [0u8; 12];
        s.read_exact(&mut status).expect("status line");
        String::from_utf8_lossy(&status).into_owned()
    };
    assert!(events("Origin: http://evil.example\r\n").ends_with("403"), "another site's page");
    assert!(events("Origin: null\r\n").ends_with("403"), "a sandboxed or file:// page");
    assert!(events(&format!("Origin: http://localhost:{}\r\n", server.port)).ends_with("403"), "another origin");
    assert!(events(&format!("Origin: http://127.0.0.1:{}\r\n", server.port)).ends_with("200"), "its own page");
    assert!(events("").ends_with("200"), "a same-origin EventSource sends no Origin");
}

#[test]
fn a_double_slash_path_redirects_on_this_host() {
    let (_repo, server) = server();
    for (path, to) in [("//alpha", "/alpha/"), ("///alpha", "/alpha/"), ("/alpha", "/alpha/")] {
        let r = get(&server, path, "Host: localhost\r\n");
        assert_eq!((r.status, r.header("Location")), (301, Some(to)), "{path}");
    }
}

/// Sends `head` (which may be endless: `repeat` more bytes of `a` after it, in 1 MB writes)
/// while reading the answer on another thread; returns the answer and how much was sent
/// before the server closed.
fn send_large(server: &Server, head: &[u8], repeat: usize) -> (String, usize) {
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    let mut reader = s.try_clone().expect("clone");
    let answer = thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = reader.read_to_end(&mut bytes);
        String::from_utf8_lossy(&bytes).into_owned()
    });
    let mut sent = 0;
    let chunk = vec![b'a'; 1 << 20];
    if s.write_all(head).is_ok() {
        sent += head.len();
        while sent < repeat && s.write_all(&chunk).is_ok() {
            sent += chunk.len();
        }
    }
    let _ = s.shutdown(std::net::Shutdown::Write);
    (answer.join().expect("reader"), sent)
}

#[test]
fn header_lines_of_1_and_10_mb_are_answered_431() {
    let (_repo, server) = server();
    for mb in [1, 10] {
        let mut head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Groot: ".to_vec();
        head.extend(std::iter::repeat_n(b'a', mb << 20));
        head.extend_from_slice(b"\r\nConnection: close\r\n\r\n");
        let (answer, _) = send_large(&server, &head, 0);
        assert!(answer.starts_with("HTTP/1.1 431 "), "{mb} MB: {}", &answer[..answer.len().min(200)]);
    }
    assert_eq!(server.get(PAGE).status, 200);
}

#[test]
fn requests_with_a_body_or_another_method_are_refused_before_tiny_http() {
    let (_repo, server) = server();
    let post = request(server.port, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhallo");
    assert_eq!((post.status, post.header("Allow")), (405, Some("GET, HEAD")));
    let body = request(server.port, "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhallo");
    assert_eq!(body.status, 400);
    let chunked =
        request(server.port, "GET / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assert_eq!(chunked.status, 400);
    let bare_lf = request(server.port, "GET / HTTP/1.1\nHost: localhost\n\n");
    assert_eq!(bare_lf.status, 400);
    assert_eq!(server.get(PAGE).status, 200);
}

/// What the server process holds under each load, from /proc/<pid>/status.
#[cfg(target_os = "linux")]
mod measured {
    use super::{send_large, server, PAGE};
    use crate::common::server::{request, Server, WAIT};
    use std::io::{Read, Write};
    use std::net::{SocketAddr, TcpStream};
    use std::thread;
    use std::time::{Duration, Instant};

    /// The server's cap on connections (`front::MAX_CONNECTIONS`).
    const MAX_CONNECTIONS: usize = 128;

    /// The server process's resident memory, its peak, and its threads (kB, kB, count).
    fn usage(server: &Server) -> (u64, u64, u64) {
        let status = std::fs::read_to_string(format!("/proc/{}/status", server.child.id())).expect("status");
        let field = |name: &str| -> u64 {
            let line = status.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name}"));
            line.split_whitespace().nth(1).and_then(|v| v.parse().ok()).expect("number")
        };
        (field("VmRSS:"), field("VmHWM:"), field("Threads:"))
    }

    /// The server's threads once it is up and has answered a request: every worker started.
    fn base_threads(server: &Server) -> u64 {
        assert_eq!(server.get(PAGE).status, 200);
        thread::sleep(Duration::from_millis(300));
        usage(server).2
    }

    /// Waits until the server runs at most `threads` threads; returns how many it runs.
    fn settles_to(server: &Server, threads: u64) -> u64 {
        let deadline = Instant::now() + WAIT;
        loop {
            let (_, _, now) = usage(server);
            if now <= threads || Instant::now() > deadline {
                return now;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    #[test]
    fn a_header_without_end_is_cut_off_and_memory_stays_flat() {
        let (_repo, server) = server();
        let (_, peak_before, _) = usage(&server);
        let (answer, sent) = send_large(&server, b"GET / HTTP/1.1\r\nX-Eindeloos: ", 200 << 20);
        let (_, peak_after, _) = usage(&server);
        eprintln!("sent {} MB; peak RSS {peak_before} kB → {peak_after} kB", sent >> 20);
        assert!(answer.starts_with("HTTP/1.1 431 "), "{answer}");
        assert!(sent < 32 << 20, "the server read {} MB of one header", sent >> 20);
        assert!(peak_after < peak_before + 16 * 1024, "peak RSS grew from {peak_before} kB to {peak_after} kB");
        assert_eq!(server.get(PAGE).status, 200);
    }

    #[test]
    fn a_thousand_idle_connections_hold_a_bounded_number_of_threads_and_time_out() {
        let (_repo, server) = server();
        let base = base_threads(&server);
        let addr = SocketAddr::from(([127, 0, 0, 1], server.port));
        // One that starts a request and never finishes it (slowloris), then the idle ones: as
        // many as the server takes before its listen queue is full too. A connection waits up
        // to a second: on a loaded machine the server's new threads can hold a handshake up.
        let mut slow = TcpStream::connect(addr).expect("connect");
        slow.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n").expect("half a head");
        let started = Instant::now();
        let mut idle = Vec::new();
        // Three refusals in a row: one can be a busy machine's, three are a full queue.
        let mut refused = 0;
        while idle.len() < 1000 && refused < 3 {
            match TcpStream::connect_timeout(&addr, Duration::from_secs(1)) {
                Ok(s) => {
                    idle.push(s);
                    refused = 0;
                }
                Err(_) => refused += 1,
            }
        }
        thread::sleep(Duration::from_millis(300));
        let (rss, _, threads) = usage(&server);
        eprintln!("{} idle connections: {threads} threads (base {base}), RSS {rss} kB", idle.len());
        assert!(idle.len() > MAX_CONNECTIONS, "only {} connections were opened", idle.len());
        assert!(threads <= base + MAX_CONNECTIONS as u64 + 4, "{threads} threads for {} idle connections", idle.len());

        // The unfinished request gets 408 once its time is up; idle ones are closed unanswered.
        slow.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
        let mut answer = String::new();
        let _ = slow.read_to_string(&mut answer);
        let waited = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408 "), "{answer}");
        // The deadline is 10 s; the upper bound leaves room for a loaded machine's scheduling.
        assert!(waited > Duration::from_secs(8) && waited < Duration::from_secs(18), "408 after {waited:?}");
        let first = &mut idle[0];
        first.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
        assert_eq!(first.read(&mut [0u8; 16]).ok(), Some(0), "an idle connection is closed without an answer");
        drop(idle);
        assert_eq!(server.get(PAGE).status, 200);
        let after = settles_to(&server, base + 4);
        assert!(after <= base + 4, "{after} threads after the connections closed (base {base})");
    }

    /// Opens a connection, sends `requests` pipelined requests and resets it at once (SO_LINGER
    /// 0), as the clients that made tiny_http's threads panic did.
    fn pipeline_and_reset(port: u16, requests: usize) {
        let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else { return };
        let one = format!("GET {PAGE} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let _ = s.write_all(one.repeat(requests).as_bytes());
        rustix::net::sockopt::set_socket_linger(&s, Some(Duration::ZERO)).expect("SO_LINGER");
    }

    #[test]
    fn clients_that_pipeline_and_reset_leave_no_panic_on_the_terminal() {
        let (_repo, server) = server();
        let base = base_threads(&server);
        let port = server.port;
        let clients: Vec<_> =
            (0..4).map(|_| thread::spawn(move || (0..250).for_each(|_| pipeline_and_reset(port, 5)))).collect();
        clients.into_iter().for_each(|c| c.join().expect("client"));
        let after = settles_to(&server, base + 4);
        assert_eq!(server.get(PAGE).status, 200, "still serving");
        let panics = server.printed().iter().filter(|l| l.contains("panicked")).count();
        assert_eq!(panics, 0, "panics on the terminal after 1000 resets");
        assert!(after <= base + 4, "{after} threads left (base {base})");
        // Pipelined requests on a connection that stays: the first is answered, and the
        // connection is closed cleanly for the client to send the rest again.
        let one = format!("GET {PAGE} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let r = request(port, &one.repeat(3));
        assert_eq!(r.status, 200);
        assert_eq!(r.header("Connection"), Some("close"));
    }
}
