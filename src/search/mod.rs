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
mod fxhash;
mod index;
mod lexicon;
mod lists;
mod next;
pub mod query;
mod record;
mod saved;
pub mod snapshot;
mod table;
mod text;
mod update;
pub mod words;
mod write;

pub use analyze::{Detail, PageSource};
pub use index::{doc_path, Collector, DocFile, KeptTerms, PreviousFiles, DOC_FILE_PAGES, DOC_FOLDER_FILES};
pub use lists::{Index, PageInfo};
pub use record::Key;
pub use write::{idf, impact, write};

/// The folder of the index files under the output (or version) root.
pub const DIR: &str = "_search";

/// The search page, at the output (or version) root.
pub const PAGE: &str = "search.html";
