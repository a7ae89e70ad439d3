//! The order of versions, newest first: by the time of their tag (to the second; the
//! commit's time for a lightweight tag or a ref), then, for versions of the same second, a
//! version whose commit descends from another's is newer, then by name in version order
//! (`v10` after `v9`). Versions without a time (folders) come last, in the order listed.

use super::git::Repo;
use super::{Origin, Version};
use std::cmp::{Ordering, Reverse};

/// Sorts `list` newest first.
pub fn sort(list: &mut [Version], repo: Option<&Repo>) {
    let ancestors: Vec<usize> = (0..list.len()).map(|i| ancestors_among_ties(list, i, repo)).collect();
    let mut keyed: Vec<(usize, &Version)> = list.iter().enumerate().collect();
    keyed.sort_by(|(a, va), (b, vb)| {
        let time = Reverse(va.time).cmp(&Reverse(vb.time));
        time.then(ancestors[*b].cmp(&ancestors[*a])).then_with(|| match (va.time, vb.time) {
            (Some(_), Some(_)) => version_order(&vb.name, &va.name),
            _ => Ordering::Equal,
        })
    });
    let order: Vec<usize> = keyed.into_iter().map(|(i, _)| i).collect();
    let sorted: Vec<Version> = order.iter().map(|&i| list[i].clone()).collect();
    list.clone_from_slice(&sorted);
}

/// How many versions of the same second as version `i` are on commits that `i`'s commit
/// descends from: the more, the newer. A count, not a pairwise comparison, so that the
/// order stays total when histories diverge.
fn ancestors_among_ties(list: &[Version], i: usize, repo: Option<&Repo>) -> usize {
    let (Some(repo), Some(time), Origin::Git { commit, .. }) = (repo, list[i].time, &list[i].origin) else {
        return 0;
    };
    list.iter()
        .filter(|o| o.time == Some(time))
        .filter_map(|o| match &o.origin {
            Origin::Git { commit: c, .. } if c != commit => Some(c),
            _ => None,
        })
        .filter(|c| repo.is_ancestor(c, commit))
        .count()
}

/// Names compared as versions: runs of digits by their value, the rest as text
/// (`v9` < `v10` < `v10.1` < `v10.2-rc`).
pub fn version_order(a: &str, b: &str) -> Ordering {
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

/// A name as runs: (0, text) for text, (1, digits without leading zeros, by length then
/// value) for numbers, so that numbers of any length compare by value.
fn parts(name: &str) -> Vec<(u8, usize, String)> {
    let mut out: Vec<(u8, usize, String)> = Vec::new();
    for c in name.chars() {
        let digit = c.is_ascii_digit();
        match out.last_mut() {
            Some((kind, _, run)) if (*kind == 1) == digit => run.push(c),
            _ => out.push((u8::from(digit), 0, c.to_string())),
        }
    }
    for (kind, len, run) in &mut out {
        if *kind == 1 {
            *run = run.trim_start_matches('0').to_string();
            *len = run.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_version_order() {
        let mut names =
            ["v10", "v9", "v10.1", "v2", "v10.10", "v10.2", "v010.3", "versie-a", "v99999999999999999999999"];
        names.sort_by(|a, b| version_order(a, b));
        assert_eq!(
            names,
            ["v2", "v9", "v10", "v10.1", "v10.2", "v010.3", "v10.10", "v99999999999999999999999", "versie-a"]
        );
    }
}
