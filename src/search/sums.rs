//! A page's sums per stem (where on the page each stem stands, and how often in the body)
//! and its word pairs, sorted, in slots per stem that each thread keeps from page to page.

use std::cell::RefCell;

/// Where on a page a word stands: the fields rank differently (`docs/search.md`).
pub const TITLE: u32 = 1;
pub const HEADING: u32 = 2;
/// Actions, owner, partners and the plan's group and municipality.
pub const DETAILS: u32 = 4;
/// The field bits take the low three bits of a posting's value, the body count the rest.
pub const FIELD_BITS: u32 = 3;
/// Body counts above this are counted as this.
pub const MAX_BODY_COUNT: u32 = 63;

/// A body word's field value (one body word).
pub const BODY: u32 = 1 << FIELD_BITS;

thread_local! {
    /// Each thread's value per stem while it sums up a page (zero in between): a page's
    /// stems are numbers into the whole lexicon, so a slot each is cheaper than a map.
    static SLOTS: RefCell<Slots> = const {
        RefCell::new(Slots { by_stem: Vec::new(), stems: Vec::new(), lists: [Vec::new(), Vec::new()], bits: Vec::new() })
    };
}

/// A thread's slots per stem, and lists kept from page to page so that a page's sums and
/// pairs allocate only their answers: the page's stems, its pairs before and after each
/// counting pass, and the bits of its pairs (`pairs_by_bits`).
struct Slots {
    by_stem: Vec<u32>,
    stems: Vec<u32>,
    lists: [Vec<(u32, u32)>; 2],
    bits: Vec<u64>,
}

/// Pages with at most this many distinct stems mark their pairs in a table of bits, a row
/// per first stem (at most 512 × 8 words, 32 kB); longer ones count them into place.
const BITS_TERMS: usize = 512;

/// A page's (stem, field bits | body count << FIELD_BITS), by stem, from its words' stems
/// and fields and its title's stems.
pub fn terms_of(stems: &[u32], fields: &[u32], title: &[u32]) -> Vec<(u32, u32)> {
    SLOTS.with(|slots| {
        let Slots { by_stem: slots, stems: seen, .. } = &mut *slots.borrow_mut();
        seen.clear();
        // Two plain loops: a chain of the two lists costs a check per word.
        for (&stem, &field) in stems.iter().zip(fields) {
            add_to_slot(slots, seen, stem, field);
        }
        for &stem in title {
            add_to_slot(slots, seen, stem, TITLE);
        }
        seen.sort_unstable();
        seen.iter().map(|&stem| (stem, std::mem::take(&mut slots[stem as usize]))).collect()
    })
}

/// The adjacent stems of each list of `lists` as `first << 32 | second`, sorted, without
/// repeats; `terms` are the page's stems in order (`terms_of`). Sorted without comparisons:
/// marked in a table of bits (`pairs_by_bits`), or on a page of very many stems counted into
/// place by second stem, then (keeping that order) by first, with a count per stem in this
/// thread's slots.
pub fn pairs_of(lists: &[&[u32]], terms: &[(u32, u32)]) -> Vec<u64> {
    sorted_pairs(
        |pairs| {
            for list in lists {
                pairs.extend(list.iter().zip(list.iter().skip(1)).map(|(&a, &b)| (a, b)));
            }
        },
        terms,
    )
}

/// The pairs of stems that `fill` puts in a list (each stem one of `terms`, which are
/// sorted by stem) as `first << 32 | second`, sorted, without repeats: as `pairs_of`.
pub fn sorted_pairs(fill: impl FnOnce(&mut Vec<(u32, u32)>), terms: &[(u32, u32)]) -> Vec<u64> {
    SLOTS.with(|slots| {
        let Slots { by_stem: slots, lists: [pairs, by_second], bits, .. } = &mut *slots.borrow_mut();
        if let Some(&(last, _)) = terms.last() {
            if slots.len() <= last as usize {
                slots.resize(last as usize + 1, 0);
            }
        }
        pairs.clear();
        fill(pairs);
        if terms.len() <= BITS_TERMS {
            return pairs_by_bits(pairs, terms, slots, bits);
        }
        counted_into_place(pairs, |p| p.1, terms, slots, by_second);
        counted_into_place(by_second, |p| p.0, terms, slots, pairs);
        let mut out: Vec<u64> = Vec::with_capacity(pairs.len());
        for &(first, second) in pairs.iter() {
            let pair = u64::from(first) << 32 | u64::from(second);
            if out.last() != Some(&pair) {
                out.push(pair);
            }
        }
        out
    })
}

/// `pairs` (of the stems of `terms`, sorted by stem) as `first << 32 | second`, sorted,
/// without repeats: each marked in a table of bits by the two stems' places among `terms`,
/// then read out row by row, so that a page's thousand pairs cost no sort. `slots` are
/// left all zero.
fn pairs_by_bits(pairs: &[(u32, u32)], terms: &[(u32, u32)], slots: &mut [u32], bits: &mut Vec<u64>) -> Vec<u64> {
    let row = terms.len().div_ceil(64);
    bits.clear();
    bits.resize(row * terms.len(), 0);
    for (i, &(stem, _)) in terms.iter().enumerate() {
        slots[stem as usize] = i as u32;
    }
    for &(first, second) in pairs {
        let (a, b) = (slots[first as usize] as usize, slots[second as usize] as usize);
        bits[a * row + b / 64] |= 1 << (b % 64);
    }
    for &(stem, _) in terms {
        slots[stem as usize] = 0;
    }
    let mut out = Vec::with_capacity(pairs.len());
    for (words, &(first, _)) in bits.chunks_exact(row).zip(terms) {
        for (w, &word) in words.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                let second = terms[w * 64 + word.trailing_zeros() as usize].0;
                out.push(u64::from(first) << 32 | u64::from(second));
                word &= word - 1;
            }
        }
    }
    out
}

/// `items` in the order of their `key` (one of the stems of `terms`), stable, into `out`;
/// `slots` are left all zero.
fn counted_into_place(
    items: &[(u32, u32)],
    key: impl Fn(&(u32, u32)) -> u32,
    terms: &[(u32, u32)],
    slots: &mut [u32],
    out: &mut Vec<(u32, u32)>,
) {
    for item in items {
        slots[key(item) as usize] += 1;
    }
    let mut end = 0;
    for &(stem, _) in terms {
        end += std::mem::replace(&mut slots[stem as usize], end);
    }
    out.clear();
    out.resize(items.len(), (0, 0));
    for item in items {
        let at = &mut slots[key(item) as usize];
        out[*at as usize] = *item;
        *at += 1;
    }
    for &(stem, _) in terms {
        slots[stem as usize] = 0;
    }
}

/// Adds one occurrence of `stem` in `field` to its slot, noting the stem in `seen` the first
/// time. Always inline: it runs for every word of every page.
#[inline(always)]
fn add_to_slot(slots: &mut Vec<u32>, seen: &mut Vec<u32>, stem: u32, field: u32) {
    let at = stem as usize;
    if slots.len() <= at {
        slots.resize(at + 1, 0);
    }
    if slots[at] == 0 {
        seen.push(stem);
    }
    slots[at] = add_field(slots[at], field);
}

/// Adds one occurrence in `field` (a field bit, or one body word) to a posting value.
fn add_field(value: u32, field: u32) -> u32 {
    if field < 1 << FIELD_BITS {
        return value | field;
    }
    let count = (value >> FIELD_BITS).saturating_add(1).min(MAX_BODY_COUNT);
    (value & ((1 << FIELD_BITS) - 1)) | count << FIELD_BITS
}

/// Runs `f` with the place of each stem among `terms` (sorted by stem), looked up in this
/// thread's slots, which `terms_of` made long enough for every stem of the page.
pub fn with_term_places<R>(terms: &[(u32, u32)], f: impl FnOnce(&dyn Fn(u32) -> Option<usize>) -> R) -> R {
    SLOTS.with(|slots| {
        let by_stem = &mut slots.borrow_mut().by_stem;
        for (i, &(stem, _)) in terms.iter().enumerate() {
            by_stem[stem as usize] = i as u32 + 1;
        }
        let out = f(&|stem: u32| by_stem.get(stem as usize).and_then(|i| i.checked_sub(1)).map(|i| i as usize));
        for &(stem, _) in terms {
            by_stem[stem as usize] = 0;
        }
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_sums_its_fields_per_stem() {
        let terms = terms_of(&[4, 2, 4, 9], &[1 << FIELD_BITS, HEADING, 1 << FIELD_BITS, DETAILS], &[2, 7]);
        assert_eq!(terms, [(2, HEADING | TITLE), (4, 2 << FIELD_BITS), (7, TITLE), (9, DETAILS)]);
        assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after a page");
    }

    #[test]
    fn a_pages_pairs_are_sorted_without_repeats() {
        let (body, title) = ([4u32, 2, 4, 2, 4, 9, 2], [9u32, 2, 4]);
        let terms = terms_of(&body, &[8; 7], &title);
        let pair = |a: u64, b: u64| a << 32 | b;
        let want = [pair(2, 4), pair(4, 2), pair(4, 9), pair(9, 2)];
        assert_eq!(pairs_of(&[&body, &title], &terms), want);
        let one: [u32; 1] = [7];
        assert!(pairs_of(&[&one, &[]], &terms_of(&one, &[8], &[])).is_empty());
        assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after the pairs");
    }

    #[test]
    fn pairs_by_bits_and_counted_into_place_agree_with_a_sort() {
        let mut seed = 11u64;
        for distinct in [1u32, 2, 63, 64, 65, 300, BITS_TERMS as u32, BITS_TERMS as u32 + 1, 900] {
            let stems: Vec<u32> = (0..3000u32)
                .map(|i| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                    // Every stem at least once, and far apart in the lexicon.
                    7 * if i < distinct { i } else { (seed >> 33) as u32 % distinct }
                })
                .collect();
            let terms = terms_of(&stems, &vec![1 << FIELD_BITS; stems.len()], &[]);
            assert_eq!(terms.len(), distinct as usize);
            let mut want: Vec<u64> = stems.windows(2).map(|w| u64::from(w[0]) << 32 | u64::from(w[1])).collect();
            want.sort_unstable();
            want.dedup();
            assert_eq!(pairs_of(&[&stems], &terms), want, "{distinct} stems");
            assert_eq!(terms_of(&[4], &[HEADING], &[]), [(4, HEADING)], "the slots are clean after the pairs");
        }
    }
}
