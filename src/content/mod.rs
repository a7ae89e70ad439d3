//! Loading a plan repository into the model: walking `content/` on disk or in a git tree
//! (`source`), splitting front matter (`frontmatter`), building the plan tree (`load`), and
//! the audience filter with the link index built after it (`filter`).

mod filter;
pub mod frontmatter;
mod load;
mod names;
mod read;
mod source;

pub use filter::{filter, link_index, Filtered, Visibility};
pub use load::{load, load_plans, reload, Loaded};
pub use read::{parse_file, read_body};
pub use source::{link_outside, ContentSource, Tree, CONTENT_DIR};
