//! The word pairs of the index, kept by first stem: for each stem, the pages it occurs on
//! with the stems that follow it there. Adding a page appends to the lists of its own stems
//! only, in order, which stays cheap where a list per pair would be touched at random; the
//! lists of pairs (`"stem next"` → pages) are made from it when the files are written.

/// The pages of one stem with the stems that follow it: per page, the page (as the
/// difference from the previous one), the number of followers, and the followers as
/// increasing differences; seven bits to a byte.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Next {
    bytes: Vec<u8>,
    last: Option<u32>,
}

pub fn push(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

pub fn read(bytes: &[u8], at: &mut usize) -> Option<u32> {
    let mut n: u32 = 0;
    let mut shift = 0;
    loop {
        let b = *bytes.get(*at)?;
        *at += 1;
        n |= u32::from(b & 0x7f).checked_shl(shift)?;
        if b < 0x80 {
            return Some(n);
        }
        shift += 7;
        if shift > 28 {
            return None;
        }
    }
}

impl Next {
    /// Adds `page` (after any before) with its followers (increasing, without repeats).
    pub fn push(&mut self, page: u32, followers: &[u32]) {
        push(&mut self.bytes, self.last.map_or(page, |l| page - l - 1));
        push(&mut self.bytes, followers.len() as u32);
        let mut prev = 0;
        for (i, &f) in followers.iter().enumerate() {
            push(&mut self.bytes, if i == 0 { f } else { f - prev - 1 });
            prev = f;
        }
        self.last = Some(page);
    }

    /// Adds `page` with the pairs of one first stem (`first << 32 | follower`, sorted,
    /// without repeats), as `push` does with their followers.
    pub fn push_run(&mut self, page: u32, run: &[u64]) {
        push(&mut self.bytes, self.last.map_or(page, |l| page - l - 1));
        push(&mut self.bytes, run.len() as u32);
        let mut prev = 0;
        for (i, &pair) in run.iter().enumerate() {
            let f = pair as u32;
            push(&mut self.bytes, if i == 0 { f } else { f - prev - 1 });
            prev = f;
        }
        self.last = Some(page);
    }

    /// The lists with the pages `drop` says out, and the runs `add` (page, pairs of this
    /// first stem as `push_run` takes them; pages increasing, none of them kept) in their
    /// places: a kept page's followers are copied as they are, only its page is written anew.
    pub fn patched(&self, drop: impl Fn(u32) -> bool, add: &[(u32, &[u64])]) -> Next {
        let mut out = Next::default();
        let (mut at, mut page, mut add) = (0, None::<u32>, add.iter().peekable());
        while at < self.bytes.len() {
            let Some(delta) = read(&self.bytes, &mut at) else { break };
            let Some(p) = page.map_or(Some(delta), |l| l.checked_add(delta)?.checked_add(1)) else { break };
            let start = at;
            let Some(count) = read(&self.bytes, &mut at) else { break };
            if (0..count).any(|_| read(&self.bytes, &mut at).is_none()) {
                break;
            }
            page = Some(p);
            while let Some(&(q, run)) = add.next_if(|a| a.0 < p) {
                out.push_run_after(q, run);
            }
            if !drop(p) && out.last.map_or(true, |last| p > last) {
                push(&mut out.bytes, out.last.map_or(p, |l| p - l - 1));
                out.bytes.extend_from_slice(&self.bytes[start..at]);
                out.last = Some(p);
            }
        }
        for &(q, run) in add {
            out.push_run_after(q, run);
        }
        out
    }

    /// `push_run`, leaving out a page not after the last (which a damaged list could give).
    fn push_run_after(&mut self, page: u32, run: &[u64]) {
        if self.last.map_or(true, |last| page > last) {
            self.push_run(page, run);
        }
    }

    /// The lists' parts, for a snapshot of the index.
    pub fn parts(&self) -> (&[u8], Option<u32>) {
        (&self.bytes, self.last)
    }

    /// Lists from a snapshot's parts.
    pub fn from_parts(bytes: Vec<u8>, last: Option<u32>) -> Next {
        Next { bytes, last }
    }

    /// Every (page, followers).
    pub fn groups(&self) -> Vec<(u32, Vec<u32>)> {
        let mut out = Vec::new();
        let (mut at, mut page) = (0, None::<u32>);
        while at < self.bytes.len() {
            let Some(delta) = read(&self.bytes, &mut at) else { break };
            let Some(p) = page.map_or(Some(delta), |l| l.checked_add(delta)?.checked_add(1)) else { break };
            let Some(count) = read(&self.bytes, &mut at) else { break };
            let mut followers = Vec::with_capacity(count.min(1024) as usize);
            let mut prev = 0u32;
            for i in 0..count {
                let Some(d) = read(&self.bytes, &mut at) else { return out };
                prev = if i == 0 { d } else { prev.saturating_add(d).saturating_add(1) };
                followers.push(prev);
            }
            out.push((p, followers));
            page = Some(p);
        }
        out
    }

    /// The pages of each follower, in no particular order.
    pub fn pairs(&self) -> Vec<(u32, Vec<u32>)> {
        let most = self.groups().iter().flat_map(|g| g.1.iter().copied()).max();
        self.pairs_with(&mut vec![0; most.map_or(0, |m| m as usize + 1)])
    }

    /// `pairs`, read straight from the bytes: this runs over every pair of the index when the
    /// files are written. `slots` (by follower: its place in the answer + 1, else 0; one for
    /// each stem of the index) is scratch space, left all zero.
    pub fn pairs_with(&self, slots: &mut [u32]) -> Vec<(u32, Vec<u32>)> {
        let mut out: Vec<(u32, Vec<u32>)> = Vec::new();
        let (mut at, mut page) = (0, None::<u32>);
        'pages: while at < self.bytes.len() {
            let Some(delta) = read(&self.bytes, &mut at) else { break };
            let Some(p) = page.map_or(Some(delta), |l| l.checked_add(delta)?.checked_add(1)) else { break };
            let Some(count) = read(&self.bytes, &mut at) else { break };
            let mut f = 0u32;
            for i in 0..count {
                let Some(d) = read(&self.bytes, &mut at) else { break 'pages };
                f = if i == 0 { d } else { f.saturating_add(d).saturating_add(1) };
                let Some(slot) = slots.get_mut(f as usize) else { break 'pages };
                if *slot == 0 {
                    out.push((f, Vec::new()));
                    *slot = out.len() as u32;
                }
                out[*slot as usize - 1].1.push(p);
            }
            page = Some(p);
        }
        for (f, _) in &out {
            slots[*f as usize] = 0;
        }
        out
    }

    /// The list of `groups` (pages increasing).
    pub fn from_groups(groups: &[(u32, Vec<u32>)]) -> Next {
        let mut n = Next::default();
        for (page, followers) in groups {
            n.push(*page, followers);
        }
        n
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_pairs_round_trip() {
        let groups = vec![(0, vec![3, 5]), (2, vec![5]), (300, vec![0, 1, 200_000])];
        let next = Next::from_groups(&groups);
        assert_eq!(next.groups(), groups);
        let mut pairs = next.pairs();
        pairs.sort();
        assert_eq!(pairs, [(0, vec![300]), (1, vec![300]), (3, vec![0]), (5, vec![0, 2]), (200_000, vec![300])]);
        let mut run = Next::default();
        run.push_run(0, &[7 << 32 | 3, 7 << 32 | 5]);
        run.push_run(2, &[7 << 32 | 5]);
        assert_eq!(run.groups(), [(0, vec![3, 5]), (2, vec![5])]);
        assert!(Next::default().is_empty());
    }
}
