//! The version switcher's data: `_versions.js` (the versions, which every page loads) and one
//! `_versions/<folder>.js` per folder of pages, which the switcher loads for the page it is
//! on. One file of every page of every version grew with the handbook (14 MB for 14
//! versions of 1,000 plans), and every page of every version loaded it.

use super::build_version::CachedVersion;
use super::Version;
use crate::config::Language;
use crate::i18n::ui_string;
use crate::render::DateView;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The folder of the switcher's per-folder files in the handbook's root.
const SHARDS_DIR: &str = "_versions";
/// The file of the pages at a version's root (home, registers, search, changes): plan
/// folders starting with `_` are reserved, so no plan's file can have this name.
const ROOT_SHARD: &str = "_site";
/// Longer folder names get no file (a name of 255 bytes plus `.js` is not a file name);
/// their pages' switcher leads to each version's home page.
const MAX_FOLDER: usize = 200;

/// Whether a folder name may name a file under `_versions/`. Page maps are read back from
/// the version cache, which lies in the repository, so a name is checked before it becomes
/// a path: no `..`, no hidden file, nothing a file system could read as a separator.
fn is_file_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_FOLDER
        && !name.starts_with('.')
        && !name.chars().any(|c| c == '\\' || c == '/' || c.is_control())
}

/// Which page of each version is the same section, following renames.
pub struct Switcher<'a> {
    list: &'a [Version],
    /// Every page of any version, once: pages are named by their place here, as most of
    /// them are in every version (18,000 pages and 20 versions of a large handbook).
    names: Vec<Box<str>>,
    /// Per version: page → identity shared across versions.
    ids: Vec<HashMap<u32, u32>>,
    /// The newest adopted version, which older versions' banners lead to.
    newest: Option<usize>,
}

impl<'a> Switcher<'a> {
    /// Identities oldest first: a page keeps its predecessor's when the diff matched them.
    pub fn new(list: &'a [Version], built: &[CachedVersion]) -> Self {
        let n = list.len();
        let mut numbers: HashMap<Box<str>, u32> = HashMap::new();
        let mut ids: Vec<HashMap<u32, u32>> = vec![HashMap::new(); n];
        let mut fresh = 0;
        for i in (0..n).rev() {
            let map = built[i].page_map();
            let from_old: HashMap<&str, &str> = map.moved.iter().map(|(o, n)| (n.as_str(), o.as_str())).collect();
            let mut own = HashMap::with_capacity(map.pages.len());
            for page in &map.pages {
                let old = from_old.get(page.as_str()).copied().unwrap_or(page);
                let before = ids.get(i + 1).zip(numbers.get(old)).and_then(|(ids, k)| ids.get(k).copied());
                let id = before.unwrap_or_else(|| {
                    fresh += 1;
                    fresh
                });
                let next = numbers.len() as u32;
                own.insert(*numbers.entry(page.as_str().into()).or_insert(next), id);
            }
            ids[i] = own;
        }
        let mut names = vec![Box::<str>::from(""); numbers.len()];
        for (name, k) in numbers {
            names[k as usize] = name;
        }
        Switcher { list, names, ids, newest: list.iter().position(|v| v.adopted) }
    }

    /// The script `_versions.js`: the versions, newest first, which every page of every
    /// version loads with `<script src>` (so it works from file://, where fetch does not).
    pub fn script(&self, lang: Language) -> String {
        // Fields in the order of their names, as the script has always listed them.
        #[derive(Serialize)]
        struct V<'a> {
            adopted: bool,
            /// Its date as the landing page shows it, if known.
            date: Option<String>,
            name: &'a str,
            slug: &'a str,
            status: &'static str,
        }
        #[derive(Serialize)]
        struct Data<'a> {
            newest: i64,
            versions: Vec<V<'a>>,
        }
        let versions: Vec<V> = self
            .list
            .iter()
            .map(|v| V {
                slug: &v.slug,
                name: &v.name,
                adopted: v.adopted,
                date: v.date.map(|d| DateView::new(lang, d).text),
                status: status_label(v, lang),
            })
            .collect();
        let newest = self.newest.map_or(-1, |n| n as i64);
        let json = serde_json::to_string(&Data { newest, versions }).unwrap_or_default();
        format!("/* Written by planboek build: the versions of this handbook. */\nwindow.planboekVersions = {json};\n")
    }

    /// The files under `_versions/`, one per folder of pages, each made when it is asked
    /// for: together they hold every page of every version.
    pub fn shards(&self) -> Shards<'_> {
        let mut folders: BTreeMap<&str, BTreeSet<u32>> = BTreeMap::new();
        let mut pages_of: HashMap<u32, Vec<(usize, u32)>> = HashMap::new();
        for (v, ids) in self.ids.iter().enumerate() {
            for (&page, &id) in ids {
                folders.entry(folder(&self.names[page as usize])).or_default().insert(id);
                pages_of.entry(id).or_default().push((v, page));
            }
        }
        let folders = folders.into_iter().filter(|(name, _)| is_file_name(name)).collect();
        Shards { switcher: self, folders, pages_of }
    }
}

/// The switcher's per-folder files (`Switcher::shards`).
pub struct Shards<'s> {
    switcher: &'s Switcher<'s>,
    /// Folder → the identities of its pages.
    folders: Vec<(&'s str, BTreeSet<u32>)>,
    /// Identity → (version, page) of each page that has it.
    pages_of: HashMap<u32, Vec<(usize, u32)>>,
}

impl Shards<'_> {
    pub fn len(&self) -> usize {
        self.folders.len()
    }

    /// The `k`-th file's path and script: per version, page → identity for every page that
    /// is, in some version, the same as a page of the folder. A section moved to another
    /// plan folder is found from either folder, and the folder's own pages include its
    /// overview, the switcher's fallback.
    pub fn file(&self, k: usize) -> (String, String) {
        let (name, ids) = &self.folders[k];
        let names = &self.switcher.names;
        let mut pages: Vec<BTreeMap<&str, u32>> = vec![BTreeMap::new(); self.switcher.ids.len()];
        for id in ids {
            for &(v, page) in self.pages_of.get(id).into_iter().flatten() {
                pages[v].insert(&names[page as usize], *id);
            }
        }
        let json = serde_json::to_string(&pages).unwrap_or_default();
        let script = format!(
            "/* Written by planboek build: per version, the pages a switcher may lead to. */\n\
             window.planboekVersionPages = {json};\n"
        );
        (format!("{SHARDS_DIR}/{name}.js"), script)
    }
}

/// A version's status in words: adopted, or the working tree's.
pub fn status_label(v: &Version, lang: Language) -> &'static str {
    ui_string(lang, if v.adopted { "status_vastgesteld" } else { "version_worktree" })
}

/// The folder a page's switcher file is named after: its first path segment, or the root's.
fn folder(page: &str) -> &str {
    match page.split_once('/') {
        Some((first, _)) if !first.is_empty() => first,
        _ => ROOT_SHARD,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn switcher(ids: Vec<Vec<(&str, u32)>>) -> Switcher<'static> {
        let mut names: Vec<Box<str>> = Vec::new();
        let mut number = |page: &str| match names.iter().position(|n| &**n == page) {
            Some(k) => k as u32,
            None => {
                names.push(page.into());
                names.len() as u32 - 1
            }
        };
        let ids = ids.into_iter().map(|v| v.into_iter().map(|(p, id)| (number(p), id)).collect()).collect();
        Switcher { list: &[], names, ids, newest: Some(0) }
    }

    fn files(s: &Switcher) -> Vec<(String, String)> {
        let shards = s.shards();
        (0..shards.len()).map(|k| shards.file(k)).collect()
    }

    fn shard<'s>(all: &'s [(String, String)], name: &str) -> &'s str {
        &all.iter().find(|(path, _)| path == &format!("_versions/{name}.js")).expect(name).1
    }

    #[test]
    fn each_folder_gets_its_pages_and_those_moved_from_or_to_it() {
        // v2 moved a/x.html (id 2) to b/y.html.
        let s = switcher(vec![
            vec![("index.html", 1), ("b/y.html", 2), ("b/index.html", 4)],
            vec![("index.html", 1), ("a/x.html", 2), ("a/index.html", 3)],
        ]);
        let all = files(&s);
        let names: Vec<&str> = all.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(names, ["_versions/_site.js", "_versions/a.js", "_versions/b.js"]);
        assert!(shard(&all, "_site").contains("= [{\"index.html\":1},{\"index.html\":1}];"));
        assert!(shard(&all, "a").contains("= [{\"b/y.html\":2},{\"a/index.html\":3,\"a/x.html\":2}];"));
        assert!(shard(&all, "b").contains("= [{\"b/index.html\":4,\"b/y.html\":2},{\"a/x.html\":2}];"));
    }

    #[test]
    fn a_folder_name_that_is_no_safe_file_name_gets_none() {
        let long = format!("{}/index.html", "p".repeat(MAX_FOLDER + 1));
        let pages = [long.as_str(), "../index.html", ".hidden/a.html", "a\\b/c.html", "x\ny/a.html", "q/index.html"];
        let s = switcher(vec![pages.iter().enumerate().map(|(i, p)| (*p, i as u32)).collect()]);
        let names: Vec<String> = files(&s).into_iter().map(|(p, _)| p).collect();
        assert_eq!(names, ["_versions/q.js"]);
    }
}
