//! DNS-rebinding protection: which `Host` a request to the preview may name, and which
//! `Origin` may open its live-reload stream.
//!
//! A web page the editor visits can point its own name at 127.0.0.1 and then read the
//! preview, confidential plans included, as a page of its own origin. Its requests still
//! carry that name in `Host`, so the server answers only names that nobody else can point
//! at this machine: `localhost`, IP addresses, and — when bound beyond loopback with `--bind`
//! — this machine's own names and those given with `--allow-host`. The port is not compared:
//! an SSH tunnel or a container's port mapping changes it, and a rebinding page controls
//! only the name.

use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::{Mutex, PoisonError};

/// How many refused names the terminal is told about, each once.
const MAX_REPORTED: usize = 8;

/// The host names the preview answers to.
#[derive(Debug)]
pub struct Hosts {
    names: BTreeSet<String>,
    /// Refused names already reported on the terminal.
    reported: Mutex<BTreeSet<String>>,
}

impl Hosts {
    /// The names for a server bound to `bind`, with the `--allow-host` names `extra`.
    pub fn new(bind: IpAddr, extra: &[String]) -> Hosts {
        let mut names = BTreeSet::from(["localhost".to_string()]);
        if !bind.is_loopback() {
            names.extend(machine_names());
        }
        names.extend(extra.iter().filter_map(|n| host_name(n)));
        Hosts { names, reported: Mutex::default() }
    }

    /// Whether a request whose `Host` header is `host` may be answered; a request without
    /// one (None) may not.
    pub fn allows(&self, host: Option<&str>) -> bool {
        let Some(name) = host.and_then(host_name) else { return false };
        is_ip(&name) || self.names.contains(&name)
    }

    /// The line to print about a refused `host`, the first time it is refused; None after,
    /// and for names that are not names (nothing a client sends reaches the terminal raw).
    pub fn report(&self, host: Option<&str>) -> Option<String> {
        let name = host_name(host?)?;
        let mut reported = self.reported.lock().unwrap_or_else(PoisonError::into_inner);
        if reported.len() >= MAX_REPORTED || !reported.insert(name.clone()) {
            return None;
        }
        Some(format!(
            "refused a request for {name} (DNS rebinding protection: the preview answers to localhost, IP addresses \
             and the names given with --allow-host); to open it by that name, start serve with --allow-host {name}"
        ))
    }
}

/// Whether a live-reload request may be answered: one without `Origin` (a same-origin
/// EventSource sends none), or one from the page's own origin, `http://` and its `Host`.
pub fn same_origin(origin: Option<&str>, host: Option<&str>) -> bool {
    match (origin, host) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            origin.strip_prefix("http://").is_some_and(|o| o.eq_ignore_ascii_case(host.trim()))
        }
        (Some(_), None) => false,
    }
}

fn is_ip(name: &str) -> bool {
    name.parse::<IpAddr>().is_ok()
}

/// The name of a `Host` value (`name[:port]` or `[v6][:port]`), lower-case without brackets;
/// None when it is not one.
fn host_name(host: &str) -> Option<String> {
    let host = host.trim();
    let (name, port) = match host.strip_prefix('[') {
        Some(rest) => {
            let (v6, after) = rest.split_once(']')?;
            v6.parse::<Ipv6Addr>().ok()?;
            match after {
                "" => (v6, None),
                _ => (v6, Some(after.strip_prefix(':')?)),
            }
        }
        None => match host.split_once(':') {
            Some((name, port)) => (name, Some(port)),
            None => (host, None),
        },
    };
    if port.is_some_and(|p| p.parse::<u16>().is_err()) {
        return None;
    }
    // A bracketed name was parsed as IPv6 above; any other holds no `:`.
    let valid = |b: u8| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b':';
    if name.is_empty() || !name.bytes().all(valid) {
        return None;
    }
    Some(name.to_ascii_lowercase())
}

/// This machine's names: its host name, without and with its domain, and `<name>.local`
/// (mDNS), as a colleague's browser on the network would use them.
fn machine_names() -> Vec<String> {
    let Some(full) = host_name_of_machine().as_deref().and_then(host_name) else { return Vec::new() };
    let short = full.split('.').next().unwrap_or(&full).to_string();
    let mut names = vec![format!("{short}.local"), short];
    names.push(full);
    names
}

#[cfg(unix)]
fn host_name_of_machine() -> Option<String> {
    let uname = rustix::system::uname();
    Some(uname.nodename().to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

#[cfg(not(unix))]
fn host_name_of_machine() -> Option<String> {
    std::env::var("COMPUTERNAME").ok().filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_answers_localhost_and_addresses_only() {
        let hosts = Hosts::new(IpAddr::from([127, 0, 0, 1]), &[]);
        for ok in ["localhost", "localhost:3000", "LocalHost:1", "127.0.0.1:3000", "[::1]:3000", "[::1]", "10.0.0.5:80"]
        {
            assert!(hosts.allows(Some(ok)), "{ok}");
        }
        for bad in [
            "evil.example:3000",
            "localhost.evil.example",
            "localhost.",
            "127.0.0.1.nip.io:3000",
            "::1",
            "[evil]:3000",
            "localhost:x",
            "localhost:99999",
            "",
            "a b",
            "local\u{1b}[31mhost",
        ] {
            assert!(!hosts.allows(Some(bad)), "{bad}");
        }
        assert!(!hosts.allows(None), "a request without Host");
        if let Some(name) = host_name_of_machine().filter(|n| n != "localhost") {
            assert!(!hosts.allows(Some(&name)), "the machine's name only with --bind");
        }
    }

    #[test]
    fn beyond_loopback_the_machine_names_and_allowed_hosts_are_answered() {
        let extra = ["Planboek.Gemeente.nl".to_string()];
        let hosts = Hosts::new(IpAddr::from([0, 0, 0, 0]), &extra);
        assert!(hosts.allows(Some("planboek.gemeente.nl:3000")));
        if let Some(name) = host_name_of_machine() {
            assert!(hosts.allows(Some(&format!("{name}:3000"))), "{name}");
            let short = name.split('.').next().unwrap_or(&name).to_string();
            assert!(hosts.allows(Some(&format!("{short}.local:3000"))), "{short}.local");
        }
        assert!(!hosts.allows(Some("evil.example")));
    }

    #[test]
    fn refused_names_are_reported_once_and_never_raw() {
        let hosts = Hosts::new(IpAddr::from([127, 0, 0, 1]), &[]);
        let first = hosts.report(Some("evil.example:3000")).expect("reported");
        assert!(first.contains("--allow-host evil.example"), "{first}");
        assert_eq!(hosts.report(Some("evil.example:3000")), None);
        assert_eq!(hosts.report(Some("\u{1b}[2J")), None);
        let many: Vec<_> = (0..20).filter_map(|i| hosts.report(Some(&format!("h{i}.example")))).collect();
        assert_eq!(many.len(), MAX_REPORTED - 1);
    }

    #[test]
    fn origins() {
        assert!(same_origin(None, Some("localhost:3000")));
        assert!(same_origin(Some("http://localhost:3000"), Some("localhost:3000")));
        assert!(!same_origin(Some("http://evil.example"), Some("localhost:3000")));
        assert!(!same_origin(Some("null"), Some("localhost:3000")));
        assert!(!same_origin(Some("https://localhost:3000"), Some("localhost:3000")));
        assert!(!same_origin(Some("http://localhost:3000"), None));
    }
}
