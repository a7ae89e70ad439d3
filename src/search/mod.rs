//! Full-text search of the handbook, offline: an index built from the audience-filtered
//! pages while they render, written as small script files that the search page loads on
//! demand (`_search/`), and the reference query the shipped JavaScript is tested against.
//!
//! - `words`: pieces of text, folding and the Dutch stemmer (the rules `search-core.js` repeats);
//! - `text`: a rendered body as plain text with its headings;
//! - `analyze`: one page's terms, word pairs and document (any thread);
//! - `lexicon`: the words and stems a build has seen, numbered;
//! - `table`: the numbers of the pieces a thread has met;
//! - `index`: the pages put together in reading order, compactly, into `lists` (`code`,
//!   `next` for the word pairs);
//! - `saved`, `record`: each page's analysis kept beside the output for the next build;
//! - `snapshot`: the index kept beside the output, which the next build patches;
//! - `write`: the files: meta, word and term files cut by size, and document files;
//! - `update`: a page saved in `serve`, its entries and files replaced;
//! - `query`: the reference query on the files as written.
//!
//! How results rank is described in `docs/search.md`.

mod analyze;
pub mod code;
mod doc;
mod fxhash;
mod index;
mod lexicon;
mod lists;
mod next;
pub mod query;
mod record;
mod saved;
pub mod snapshot;
mod sums;
mod table;
mod text;
mod update;
pub mod words;
mod write;

pub use analyze::{Detail, PageSource};
pub use index::{Collector, KeptTerms, PreviousFiles};
pub use lists::{Index, PageInfo};
pub use record::Key;
pub use write::{idf, impact, write};

/// The folder of the index files under the output (or version) root.
pub const DIR: &str = "_search";

/// The search page, at the output (or version) root.
pub const PAGE: &str = "search.html";

/// A document file holds this many consecutive pages (file `page / DOC_FILE_PAGES`): a
/// result list loads the files of its ten pages only, so few pages to a file keep what a
/// query loads small; more would keep the number of files down.
pub const DOC_FILE_PAGES: u32 = 2;

/// A folder of document files holds this many (file `n` in `d/<n / DOC_FOLDER_FILES>/`), so
/// that the 8,000 files of a large index are not all made in one place on the disk (the
/// pipeline has `d/` spread its folders: `output::Staging::spread_folder`).
pub const DOC_FOLDER_FILES: u32 = 128;

/// A finished file of documents: `_search/d/<number / DOC_FOLDER_FILES>/<number>.js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocFile {
    pub number: u32,
    pub text: String,
}

impl DocFile {
    pub fn path(&self) -> String {
        doc_path(self.number)
    }
}

/// The path of document file `number` under the output (or version) root.
pub fn doc_path(number: u32) -> String {
    format!("{}/d/{}/{}.js", DIR, number / DOC_FOLDER_FILES, number)
}
