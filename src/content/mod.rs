//! Loading a plan repository from disk into the model, and the audience filter.

mod filter;
pub mod frontmatter;
mod load;
mod model;

pub use crate::markdown::first_heading;
pub use filter::{filter, link_index, overview_path, page_path, Removed};
pub(crate) use load::reload;
pub use load::{load, load_tree, Loaded, Tree, CONTENT_DIR};
pub use model::*;
