//! `planboek serve`: a preview build in a temporary folder, served over HTTP, rebuilt on
//! every change, with live reload and the errors of a failed rebuild shown in the page.

mod front;
mod host;
mod http;
mod indexer;
mod rebuild;
mod state;
mod stream;
mod watch;

pub use http::{content_type, resolve, Target};
pub use watch::relevant;

use crate::config::{Language, CONFIG_FILE};
use crate::date::Date;
use crate::diag::{Diagnostics, Severity};
use crate::i18n::ui_string;
use crate::model::Classification;
use crate::util::count;
use crate::util::html::escape_html;
use rebuild::{Builder, Served};
use state::Shared;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{mpsc, Arc, PoisonError};
use std::thread;
use std::time::{Duration, Instant};
use watch::{Batch, Watch};

/// Threads answering requests; live-reload streams have their own.
const WORKERS: usize = 8;

/// What `planboek serve` was asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    pub root: PathBuf,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub audience: Option<Classification>,
    /// Serve every version of `[versions]`, with the working tree as `current`.
    pub versions: bool,
    /// Host names the preview answers to besides localhost, IP addresses and (with a
    /// non-loopback `bind`) this machine's names.
    pub allow_hosts: Vec<String>,
}

/// Runs the server until Ctrl-C or SIGTERM; returns the exit code. `today` is the reference
/// date of the first build; each rebuild takes the date anew, as a preview may run for days.
pub fn run(opts: &Options, today: Date) -> ExitCode {
    let Ok(root) = opts.root.canonicalize() else {
        eprintln!("error: cannot open {}", opts.root.display());
        return ExitCode::from(2);
    };
    if !root.join(CONFIG_FILE).is_file() {
        eprintln!("error: {} has no {CONFIG_FILE}; run `planboek init` to create a repository", root.display());
        return ExitCode::from(2);
    }
    if opts.versions && crate::config::load(&root).is_ok_and(|c| c.versions.is_none()) {
        let d = crate::versions::not_versioned();
        eprintln!("error: serve --versions: {}", d.message);
        if let Some(help) = d.help {
            eprintln!("help: {help}");
        }
        return ExitCode::from(2);
    }
    let (stop_tx, stop_rx) = mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    }) {
        eprintln!("warning: cannot handle Ctrl-C ({e}); the preview folder may be left behind");
    }
    let temp = std::env::temp_dir().join(format!("planboek-serve-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&temp);
    if let Err(e) = std::fs::create_dir_all(&temp) {
        eprintln!("error: cannot create the preview folder {}: {e}", temp.display());
        return ExitCode::from(1);
    }
    let code = serve(&root, opts, &temp, &stop_rx, today);
    remove_all(&temp);
    code
}

fn serve(root: &Path, opts: &Options, temp: &Path, stop: &mpsc::Receiver<()>, today: Date) -> ExitCode {
    let shared = Arc::new(Shared::new());
    // Watch before the first build, so that a save during it is not missed.
    let git = if opts.versions { crate::versions::git_dir(root) } else { None };
    let watch = match Watch::start(root, git.as_deref()) {
        Ok(w) => Some(w),
        Err(e) => {
            eprintln!("warning: cannot watch {} for changes ({e}); restart serve to see edits", root.display());
            None
        }
    };
    let mut builder = Builder::new(opts, root.to_path_buf(), temp.to_path_buf(), Arc::clone(&shared));
    println!("preview folder: {}", temp.display());
    report(&shared, builder.rebuild(&Batch::everything(), today), "first build", language(root));
    let listener = match http::bind(opts.bind, opts.port) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let started = front::backend(temp).and_then(|(server, upstream)| {
        let address = listener.local_addr()?;
        front::start(listener, upstream)?;
        Ok((Arc::new(server), address))
    });
    let (server, address) = match started {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot start the preview server: {e}");
            return ExitCode::from(1);
        }
    };
    http::quiet_library_panics();
    let url = url(address);
    let what = if opts.versions { "preview, every version" } else { "preview" };
    println!("serving {} at {url} ({what}); Ctrl-C stops", root.display());
    if !opts.bind.is_loopback() {
        eprintln!("warning: bound to {}: the handbook is visible to everyone on the network", opts.bind);
    }
    let hosts = Arc::new(host::Hosts::new(opts.bind, &opts.allow_hosts));
    http::spawn_workers(&server, &shared, &hosts, WORKERS);
    if let Some(watch) = watch {
        rebuild_on_change(watch, builder, Arc::clone(&shared), today, root.to_path_buf());
    }
    if opts.open {
        open_browser(&url);
    }
    let _ = stop.recv();
    shut_down(&shared, temp);
    println!("stopped");
    ExitCode::SUCCESS
}

/// Rebuilds after each batch of changes, on a thread of its own.
fn rebuild_on_change(mut watch: Watch, mut builder: Builder, shared: Arc<Shared>, first: Date, root: PathBuf) {
    thread::spawn(move || {
        while let Some(batch) = watch.next() {
            let _busy = shared.busy.lock().unwrap_or_else(PoisonError::into_inner);
            if shared.stopping() {
                break;
            }
            // The date was checked at start-up; the clock moves on while serving.
            let today = Date::reference(None).unwrap_or(first);
            report(&shared, builder.rebuild(&batch, today), &describe(&batch), language(&root));
        }
    });
}

/// Ends the live-reload streams and removes the preview folder, after letting a rebuild in
/// progress finish writing into it (briefly) and keeping others from starting.
fn shut_down(shared: &Shared, temp: &Path) {
    shared.stop();
    let deadline = Instant::now() + Duration::from_millis(700);
    let busy = loop {
        match shared.busy.try_lock() {
            Ok(guard) => break Some(guard),
            Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(10)),
            Err(_) => break None,
        }
    };
    remove_all(temp);
    drop(busy);
}

fn url(address: SocketAddr) -> String {
    let port = address.port();
    let bind = address.ip();
    let host = if bind.is_unspecified() { IpAddr::from([127, 0, 0, 1]) } else { bind };
    match host {
        IpAddr::V6(v6) => format!("http://[{v6}]:{port}/"),
        IpAddr::V4(v4) => format!("http://{v4}:{port}/"),
    }
}

/// Prints one line about a rebuild (and its errors in full) and publishes it to the browsers.
fn report(shared: &Shared, result: Result<Served, Diagnostics>, what: &str, language: Language) {
    match result {
        Ok(done) => {
            let warnings = done.built.diagnostics.warnings();
            let ms = done.elapsed.as_secs_f64() * 1000.0;
            let scope = if done.new_root.is_some() { "everything" } else { "in place" };
            let first = done
                .page_served
                .map_or(String::new(), |(what, t)| format!(" ({what} in {:.0} ms)", t.as_secs_f64() * 1000.0));
            let (pages, warnings) = (count(done.built.pages, "page", "pages"), count(warnings, "warning", "warnings"));
            println!("rebuilt {scope} ({what}): {pages}, {warnings} in {ms:.0} ms{first}");
            if !done.published {
                shared.publish(done.new_root.as_deref(), None);
            }
        }
        Err(ds) => {
            for d in ds.0.iter().filter(|d| d.severity == Severity::Error) {
                eprintln!("{d}");
            }
            let kept =
                if shared.root().is_some() { "still serving the last good build" } else { "nothing to serve yet" };
            println!("rebuild failed ({what}): {}; {kept}", count(ds.errors(), "error", "errors"));
            shared.publish(None, Some(overlay(&ds, language)));
        }
    }
}

/// The handbook's language, read anew at each rebuild; from planboek.toml's `language` alone
/// when the rest of it does not load, because the banner then reports exactly that.
fn language(root: &Path) -> Language {
    if let Ok(config) = crate::config::load(root) {
        return config.language;
    }
    let text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    table.get("language").cloned().and_then(|v| v.try_into().ok()).unwrap_or(Language::Nl)
}

/// "content/p/a.md" or "3 files: content/p/a.md, …".
fn describe(batch: &Batch) -> String {
    let names: Vec<String> = batch.paths.iter().map(|p| p.display().to_string()).collect();
    match names.as_slice() {
        [] => "files changed".into(),
        [one] => one.clone(),
        [first, ..] => format!("{} files: {first}, …", names.len()),
    }
}

/// The banner every served page shows while the last rebuild failed, in the handbook's language.
fn overlay(ds: &Diagnostics, language: Language) -> String {
    let lines: String =
        ds.0.iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("<li>{}</li>", escape_html(&d.to_string())))
            .collect();
    format!(
        "<div id=\"planboek-errors\" role=\"alert\" style=\"position:fixed;z-index:2147483647;left:0;right:0;\
         bottom:0;max-height:50vh;overflow:auto;margin:0;padding:1em 1.5em;background:#fff1f0;color:#5c0000;\
         border-top:4px solid #c00;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap\">\
         <strong>{}</strong>\
         <ul style=\"margin:.5em 0 0;padding-left:1.2em\">{lines}</ul></div>\n",
        escape_html(ui_string(language, "serve_failed"))
    )
}

/// Starts the system's browser; a failure is only a warning.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    cmd.arg(url).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null());
    match cmd.spawn() {
        Ok(mut child) => {
            thread::spawn(move || child.wait());
        }
        Err(e) => eprintln!("warning: cannot open a browser ({e}); open {url} yourself"),
    }
}

/// Removes the preview folder; retried because a rebuild may still be writing into it.
fn remove_all(dir: &Path) {
    let deadline = Instant::now() + Duration::from_millis(200);
    while std::fs::remove_dir_all(dir).is_err() && dir.exists() && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::{lints, Diagnostic};

    #[test]
    fn overlay_escapes_and_lists_errors_only() {
        let error = Diagnostic::new(lints::IO_ERROR, "content/p/<a>.md", 3, 4, "kapot <script>");
        let mut warning = Diagnostic::new(lints::IO_ERROR, "content/p/b.md", 1, 1, "waarschuwing");
        warning.severity = Severity::Warning;
        let html = overlay(&Diagnostics(vec![error.clone(), warning]), Language::Nl);
        assert!(html.contains("content/p/&lt;a&gt;.md:3:4"), "{html}");
        assert!(html.contains("de laatste herbouw is mislukt"), "{html}");
        let en = overlay(&Diagnostics(vec![error]), Language::En);
        assert!(en.contains("the last rebuild failed"), "{en}");
        assert!(!html.contains("<script>") && !html.contains("waarschuwing"), "{html}");
    }
}
