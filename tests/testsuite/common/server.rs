//! A running `planboek serve` for tests: started on a free loopback port, its output read
//! line by line, spoken to over raw TCP. Every wait is bounded.

use super::Repo;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::thread;
use std::time::{Duration, Instant};

/// The longest any wait of a test may take: a deadline, not a pause, so it costs nothing
/// when the server is quick, and leaves room for a machine shared with other builds.
pub const WAIT: Duration = Duration::from_secs(30);

/// A running `planboek serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub port: u16,
    pub preview: PathBuf,
    lines: Receiver<String>,
    /// Lines read while starting, before the address: still to be read by the test.
    backlog: RefCell<VecDeque<String>>,
}

impl Server {
    pub fn start(repo: &Repo, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_planboek"))
            .arg("serve")
            .arg(repo.path())
            .args(if extra.is_empty() { &["-p", "0"][..] } else { extra })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start serve");
        // Both streams in one channel, stderr's lines marked, in the order they come.
        let (tx, lines) = channel();
        let stdout = child.stdout.take().expect("stdout");
        let stderr = child.stderr.take().expect("stderr");
        let err_tx = tx.clone();
        thread::spawn(move || BufReader::new(stdout).lines().map_while(Result::ok).for_each(|l| drop(tx.send(l))));
        thread::spawn(move || {
            BufReader::new(stderr).lines().map_while(Result::ok).for_each(|l| drop(err_tx.send(format!("stderr: {l}"))))
        });
        let mut s = Server { child, port: 0, preview: PathBuf::new(), lines, backlog: RefCell::default() };
        let deadline = Instant::now() + WAIT;
        let mut early = VecDeque::new();
        while s.port == 0 {
            let line = s.line(deadline);
            early.push_back(line.clone());
            if let Some(p) = line.strip_prefix("preview folder: ") {
                s.preview = PathBuf::from(p);
            }
            if let Some((_, url)) = line.split_once(" at http://127.0.0.1:") {
                s.port = url.split('/').next().and_then(|p| p.parse().ok()).expect("port");
            }
        }
        s.backlog = RefCell::new(early);
        s
    }

    /// The next line printed (the startup lines first); panics when none comes by `deadline`.
    pub fn line(&self, deadline: Instant) -> String {
        if let Some(line) = self.backlog.borrow_mut().pop_front() {
            return line;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        self.lines.recv_timeout(left).expect("a line from serve in time")
    }

    /// The lines not yet read until one for which `done` holds (that one included).
    pub fn lines_until(&self, done: impl Fn(&str) -> bool) -> Vec<String> {
        let deadline = Instant::now() + WAIT;
        let mut lines = Vec::new();
        while !lines.last().is_some_and(|l: &String| done(l)) {
            lines.push(self.line(deadline));
        }
        lines
    }

    /// The lines printed so far and not yet read.
    pub fn printed(&self) -> Vec<String> {
        self.backlog.borrow_mut().drain(..).chain(self.lines.try_iter()).collect()
    }

    pub fn get(&self, path: &str) -> Response {
        request(self.port, &format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
    }

    /// Waits until `path` answers with a body for which `ok` holds; panics after WAIT.
    pub fn wait_for(&self, path: &str, ok: impl Fn(&Response) -> bool) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path} never became as expected; last: {} {}\n{}",
                r.status,
                r.head,
                r.body
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.preview);
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// Sends `raw` and reads the whole answer (the server closes: `Connection: close`).
pub fn request(port: u16, raw: &str) -> Response {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(WAIT)).expect("timeout");
    s.write_all(raw.as_bytes()).expect("send");
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Response { status, head: head.to_string(), body: body.to_string() }
}
